// The page's one API client and session (./client), shared by the providers and by the
// screens that call routes outside Refine's CRUD (timeline, move, imports, webhook actions).
import { createApi } from "./client";

export const { api, session } = createApi();
