import { Link } from "react-router";

import { AuthCard } from "../components/AuthCard";

export function NotFoundPage() {
  return (
    <AuthCard title="Page not found">
      <p className="text-sm">
        There is nothing at this address.{" "}
        <Link to="/" className="text-indigo-700 hover:underline">
          Go home
        </Link>
      </p>
    </AuthCard>
  );
}
