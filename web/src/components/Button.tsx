import type { ButtonHTMLAttributes } from "react";

const VARIANTS = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-700 disabled:bg-indigo-300",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-100 disabled:text-slate-400",
  danger: "bg-red-600 text-white hover:bg-red-700 disabled:bg-red-300",
  link: "text-indigo-700 underline-offset-2 hover:underline disabled:text-slate-400",
} as const;

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: keyof typeof VARIANTS;
}

export function Button({ variant = "primary", className = "", type = "button", ...props }: ButtonProps) {
  const shape = variant === "link" ? "" : "rounded-md px-3 py-1.5 text-sm font-medium shadow-xs";
  return <button type={type} className={`${shape} ${VARIANTS[variant]} ${className}`} {...props} />;
}
