//! The demo's made-up people and companies, from a fixed-seed generator over fixed lists, so
//! every `fortress demo` makes the same CRM.
//!
//! Nothing here can reach a real person: emails and websites are on the reserved `.example`
//! top-level domain (RFC 2606), and phone numbers are in the ranges regulators set aside for
//! fiction (North America 555-01xx, UK Ofcom drama numbers, ARCEP's and ACMA's ranges).

use std::collections::HashSet;

/// SplitMix64: small, fast, and the same sequence on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        let span = u64::try_from(high - low + 1).unwrap_or(1).max(1);
        low + i64::try_from(self.next_u64() % span).unwrap_or(0)
    }

    /// True with `percent` % chance.
    pub fn chance(&mut self, percent: i64) -> bool {
        self.range(0, 99) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = usize::try_from(self.range(0, items.len() as i64 - 1)).unwrap_or(0);
        &items[i.min(items.len() - 1)]
    }

    /// An item of `(item, weight)` pairs, by weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, i64)]) -> &'a T {
        let total: i64 = items.iter().map(|(_, w)| w).sum();
        let mut roll = self.range(0, total - 1);
        for (item, weight) in items {
            if roll < *weight {
                return item;
            }
            roll -= weight;
        }
        &items[items.len() - 1].0
    }
}

const FIRST_NAMES: &[&str] = &[
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "Oliver",
    "Sophia",
    "Elijah",
    "Isabella",
    "James",
    "Mia",
    "William",
    "Charlotte",
    "Benjamin",
    "Amelia",
    "Lucas",
    "Harper",
    "Henry",
    "Evelyn",
    "Theodore",
    "Chloe",
    "Jack",
    "Zoe",
    "Daniel",
    "Grace",
    "Samuel",
    "Nora",
    "David",
    "Hannah",
    "Matthew",
    "Lily",
    "Ethan",
    "Aria",
    "Joseph",
    "Ella",
    "Leo",
    "Maya",
    "Gabriel",
    "Ruby",
    "Adrian",
    "Sofia",
    "Julien",
    "Camille",
    "Hugo",
    "Lea",
    "Louis",
    "Manon",
    "Arthur",
    "Ines",
    "Priya",
    "Arjun",
    "Mei",
    "Kenji",
    "Aisha",
    "Omar",
    "Fatima",
    "Diego",
    "Lucia",
    "Mateo",
    "Elena",
    "Andrei",
    "Ioana",
    "Tomas",
    "Freya",
    "Oscar",
    "Isla",
    "Finn",
    "Niamh",
    "Rohan",
];

const LAST_NAMES: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Martinez",
    "Lopez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee",
    "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen",
    "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell",
    "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins",
    "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Dubois", "Moreau", "Laurent", "Bernard",
    "Fontaine", "Patel", "Sharma", "Chen", "Nakamura", "Kim", "Novak", "Popescu", "Ionescu",
    "OBrien", "Walsh", "Byrne", "Fischer", "Weber", "Rossi", "Silva", "Hughes", "Price",
];

const COMPANY_NAMES: &[&str] = &[
    "Northwind",
    "Bluepeak",
    "Ironbark",
    "Silverline",
    "Brightwave",
    "Cedarview",
    "Harborlight",
    "Summitview",
    "Lumen",
    "Redwood",
    "Atlas",
    "Nimbus",
    "Keystone",
    "Orchard",
    "Pioneer",
    "Quartz",
    "Riverstone",
    "Sparrow",
    "Tidewater",
    "Vantage",
    "Willowbrook",
    "Zenith",
    "Copperleaf",
    "Evergreen",
    "Foxglove",
    "Granite",
    "Helix",
    "Juniper",
    "Kestrel",
    "Meridian",
    "Oakridge",
    "Polaris",
    "Sagebrush",
    "Trident",
    "Upland",
    "Wildflower",
    "Amberline",
    "Beacon",
];

/// A company's kind: the name's suffix, its industry (a value of the `industry` custom field)
/// and the titles its contacts hold.
const KINDS: &[(&str, &str)] = &[
    ("Analytics", "Software"),
    ("Software", "Software"),
    ("Labs", "Software"),
    ("Logistics", "Logistics"),
    ("Freight", "Logistics"),
    ("Dental", "Healthcare"),
    ("Clinics", "Healthcare"),
    ("Health", "Healthcare"),
    ("Fitness", "Fitness"),
    ("Gyms", "Fitness"),
    ("Realty", "Real Estate"),
    ("Properties", "Real Estate"),
    ("Hotels", "Hospitality"),
    ("Resorts", "Hospitality"),
    ("Capital", "Finance"),
    ("Insurance", "Finance"),
    ("Foods", "Retail"),
    ("Outfitters", "Retail"),
    ("Marketing", "Marketing"),
    ("Media", "Marketing"),
    ("Manufacturing", "Manufacturing"),
    ("Legal", "Professional Services"),
    ("Consulting", "Professional Services"),
];

/// The options of the `industry` custom field.
pub const INDUSTRIES: &[&str] = &[
    "Software",
    "Logistics",
    "Healthcare",
    "Fitness",
    "Real Estate",
    "Hospitality",
    "Finance",
    "Retail",
    "Marketing",
    "Manufacturing",
    "Professional Services",
];

/// The options of the `company_size` custom field.
pub const COMPANY_SIZES: &[&str] = &["1-10", "11-50", "51-200", "201-1000", "1000+"];

const TITLES: &[&str] = &[
    "CEO",
    "Founder",
    "Co-founder",
    "COO",
    "CFO",
    "CTO",
    "VP of Sales",
    "VP of Marketing",
    "Head of Growth",
    "Head of Operations",
    "Sales Director",
    "Marketing Manager",
    "Operations Manager",
    "Office Manager",
    "Practice Manager",
    "General Manager",
    "Procurement Lead",
    "IT Manager",
    "Business Development Manager",
    "Customer Success Lead",
    "Owner",
];

/// Where leads come from, with how often.
pub const SOURCES: &[(&str, i64)] = &[
    ("website", 30),
    ("linkedin", 20),
    ("referral", 15),
    ("cold-email", 15),
    ("event", 12),
    ("webinar", 8),
];

const TAGS: &[&str] = &[
    "decision-maker",
    "budget-approved",
    "enterprise",
    "smb",
    "mid-market",
    "hot",
    "newsletter",
    "trial-user",
    "partner-referral",
    "renewal-q3",
    "competitor-customer",
    "needs-integration",
];

/// A country with its fictional phone ranges and time zones.
struct Country {
    /// Phone number prefixes (E.164, `+` and country code included) and how many digits
    /// follow each.
    phones: &'static [(&'static str, u32)],
    zones: &'static [&'static str],
}

const COUNTRIES: &[(Country, i64)] = &[
    (
        // North America: 555-0100 to 555-0199 in any area code is fictional.
        Country {
            phones: &[
                ("+1212555010", 1),
                ("+1212555011", 1),
                ("+1312555012", 1),
                ("+1415555013", 1),
                ("+1617555014", 1),
                ("+1512555015", 1),
            ],
            zones: &["America/New_York", "America/Chicago", "America/Los_Angeles"],
        },
        45,
    ),
    (
        // Ofcom's drama ranges: 07700 900xxx (mobile), 020 7946 0xxx (London).
        Country {
            phones: &[("+447700900", 3), ("+442079460", 3)],
            zones: &["Europe/London"],
        },
        25,
    ),
    (
        // ARCEP's ranges for fiction: 06 39 98 xx xx, 01 99 00 xx xx.
        Country {
            phones: &[("+3363998", 4), ("+3319900", 4)],
            zones: &["Europe/Paris"],
        },
        15,
    ),
    (
        // ACMA's ranges for fiction: (02) 5550 xxxx, (03) 7010 xxxx.
        Country {
            phones: &[("+61255550", 4), ("+61370100", 4)],
            zones: &["Australia/Sydney", "Australia/Melbourne"],
        },
        15,
    ),
];

/// A made-up company.
#[derive(Debug, Clone)]
pub struct Company {
    pub name: String,
    pub website: String,
    pub domain: String,
    pub industry: &'static str,
    pub size: &'static str,
    country: usize,
}

/// A made-up contact.
#[derive(Debug, Clone)]
pub struct Person {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub title: String,
    pub company: Company,
    pub timezone: String,
    pub source: String,
    pub tags: Vec<String>,
}

/// Makes companies and contacts; emails are unique across everything it makes.
pub struct People {
    companies: Vec<Company>,
    emails: HashSet<String>,
}

impl People {
    pub fn new(rng: &mut Rng, companies: usize) -> Self {
        let mut names = HashSet::new();
        let mut made = Vec::with_capacity(companies);
        while made.len() < companies {
            let (suffix, industry) = *rng.pick(KINDS);
            let name = format!("{} {suffix}", rng.pick(COMPANY_NAMES));
            if !names.insert(name.clone()) {
                continue;
            }
            let domain = format!("{}.example", name.to_lowercase().replace(' ', ""));
            let weights: Vec<(usize, i64)> = COUNTRIES
                .iter()
                .enumerate()
                .map(|(i, (_, w))| (i, *w))
                .collect();
            let size: &'static str = COMPANY_SIZES
                [usize::try_from(rng.range(0, COMPANY_SIZES.len() as i64 - 1)).unwrap_or(0)];
            made.push(Company {
                website: format!("https://www.{domain}"),
                domain,
                name,
                industry,
                size,
                country: *rng.weighted(&weights),
            });
        }
        Self {
            companies: made,
            emails: HashSet::new(),
        }
    }

    /// A new contact at one of the companies.
    pub fn person(&mut self, rng: &mut Rng) -> Person {
        let company = rng.pick(&self.companies).clone();
        let (country, _) = &COUNTRIES[company.country.min(COUNTRIES.len() - 1)];
        let first_name = (*rng.pick(FIRST_NAMES)).to_owned();
        let last_name = (*rng.pick(LAST_NAMES)).to_owned();
        let (first, last) = (first_name.to_lowercase(), last_name.to_lowercase());
        let local = match rng.range(0, 9) {
            0..=4 => format!("{first}.{last}"),
            5..=6 => format!("{}{last}", &first[..1]),
            7 => first.clone(),
            _ => format!("{first}_{last}"),
        };
        let mut email = format!("{local}@{}", company.domain);
        let mut n = 2;
        while !self.emails.insert(email.clone()) {
            email = format!("{local}{n}@{}", company.domain);
            n += 1;
        }
        let (prefix, digits) = *rng.pick(country.phones);
        let number = rng.range(0, 10_i64.pow(digits) - 1);
        let phone = format!("{prefix}{number:0width$}", width = digits as usize);
        let mut tags = Vec::new();
        for _ in 0..rng.range(0, 3) {
            let tag = (*rng.pick(TAGS)).to_owned();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        Person {
            first_name,
            last_name,
            email,
            phone,
            title: (*rng.pick(TITLES)).to_owned(),
            timezone: (*rng.pick(country.zones)).to_owned(),
            source: (*rng.weighted(SOURCES)).to_owned(),
            tags,
            company,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::e164;

    #[test]
    fn the_same_seed_makes_the_same_people_with_valid_contact_details() {
        let make = || {
            let mut rng = Rng::new(7);
            let mut people = People::new(&mut rng, 20);
            (0..200)
                .map(|_| people.person(&mut rng))
                .collect::<Vec<_>>()
        };
        let (a, b) = (make(), make());
        assert_eq!(
            a.iter().map(|p| &p.email).collect::<Vec<_>>(),
            b.iter().map(|p| &p.email).collect::<Vec<_>>()
        );
        let emails: HashSet<&String> = a.iter().map(|p| &p.email).collect();
        assert_eq!(emails.len(), a.len(), "emails are unique");
        for person in &a {
            assert_eq!(e164(&person.phone).as_deref(), Ok(person.phone.as_str()));
            assert!(person.email.ends_with(".example"));
            assert!(INDUSTRIES.contains(&person.company.industry));
        }
    }
}
