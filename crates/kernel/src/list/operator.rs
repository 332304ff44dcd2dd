//! Refine's `CrudOperators`: their wire names and which field types each one accepts.

use super::resource::FieldType;

/// A field operator (28 of Refine's 30 `CrudOperators`; the conditional `or`/`and` are
/// [`Filter::Or`](super::Filter::Or) and [`Filter::And`](super::Filter::And)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    Eq,
    Ne,
    Lt,
    Gt,
    Lte,
    Gte,
    In,
    Nin,
    Ina,
    Nina,
    Contains,
    Ncontains,
    Containss,
    Ncontainss,
    Between,
    Nbetween,
    Null,
    Nnull,
    Startswith,
    Nstartswith,
    Startswiths,
    Nstartswiths,
    Endswith,
    Nendswith,
    Endswiths,
    Nendswiths,
    Eqs,
    Nes,
}

/// What a parsed `operator` parameter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnyOperator {
    Field(Operator),
    Or,
    And,
}

/// The shape of value an operator takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arity {
    /// The value is ignored (`null`, `nnull`).
    None,
    One,
    /// Exactly two (`between`, `nbetween`).
    Two,
    /// A list; a scalar counts as a list of one.
    Many,
}

const ALL: [(&str, Operator); 28] = [
    ("eq", Operator::Eq),
    ("ne", Operator::Ne),
    ("lt", Operator::Lt),
    ("gt", Operator::Gt),
    ("lte", Operator::Lte),
    ("gte", Operator::Gte),
    ("in", Operator::In),
    ("nin", Operator::Nin),
    ("ina", Operator::Ina),
    ("nina", Operator::Nina),
    ("contains", Operator::Contains),
    ("ncontains", Operator::Ncontains),
    ("containss", Operator::Containss),
    ("ncontainss", Operator::Ncontainss),
    ("between", Operator::Between),
    ("nbetween", Operator::Nbetween),
    ("null", Operator::Null),
    ("nnull", Operator::Nnull),
    ("startswith", Operator::Startswith),
    ("nstartswith", Operator::Nstartswith),
    ("startswiths", Operator::Startswiths),
    ("nstartswiths", Operator::Nstartswiths),
    ("endswith", Operator::Endswith),
    ("nendswith", Operator::Nendswith),
    ("endswiths", Operator::Endswiths),
    ("nendswiths", Operator::Nendswiths),
    ("eqs", Operator::Eqs),
    ("nes", Operator::Nes),
];

impl Operator {
    /// Refine's name for it (`"nstartswiths"`).
    pub fn as_str(self) -> &'static str {
        ALL.iter()
            .find(|(_, op)| *op == self)
            .map_or("", |(name, _)| name)
    }

    pub(crate) fn parse(name: &str) -> Option<AnyOperator> {
        match name {
            "or" => Some(AnyOperator::Or),
            "and" => Some(AnyOperator::And),
            _ => ALL
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, op)| AnyOperator::Field(*op)),
        }
    }

    pub(crate) fn arity(self) -> Arity {
        use Operator::*;
        match self {
            Null | Nnull => Arity::None,
            Between | Nbetween => Arity::Two,
            In | Nin | Ina | Nina => Arity::Many,
            _ => Arity::One,
        }
    }

    /// The `LIKE`-family operators: `(case_sensitive, negated, prefix %, suffix %)`.
    pub(crate) fn pattern(self) -> Option<(bool, bool, bool, bool)> {
        use Operator::*;
        Some(match self {
            Contains => (false, false, true, true),
            Ncontains => (false, true, true, true),
            Containss => (true, false, true, true),
            Ncontainss => (true, true, true, true),
            Startswith => (false, false, false, true),
            Nstartswith => (false, true, false, true),
            Startswiths => (true, false, false, true),
            Nstartswiths => (true, true, false, true),
            Endswith => (false, false, true, false),
            Nendswith => (false, true, true, false),
            Endswiths => (true, false, true, false),
            Nendswiths => (true, true, true, false),
            _ => return None,
        })
    }

    /// Whether a field of this type can be filtered with this operator.
    pub(crate) fn accepts(self, ty: FieldType) -> bool {
        use Operator::*;
        let ordered = !matches!(ty, FieldType::Bool | FieldType::TextArray);
        match self {
            Eq | Ne | Eqs | Nes | In | Nin | Ina | Nina | Null | Nnull => true,
            Lt | Gt | Lte | Gte | Between | Nbetween => ordered,
            _ => ty == FieldType::Text,
        }
    }
}

impl std::fmt::Display for Operator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
