/* The session the API tests sign in with (an admin "ada", access token "tok-1"). */
import type { AuthResult } from "./types";

export const TEST_SESSION: AuthResult = {
  user: {
    id: "u1",
    username: "ada",
    email: "a@example.com",
    role: "admin",
    created_at: "",
    updated_at: "",
  },
  access_token: "tok-1",
  token_type: "Bearer",
  expires_in: 900,
};
