// The OpenID Connect relying party, on openid-client (panva): issuer discovery once at start, then the
// authorization code flow with PKCE (S256), state and nonce. The ID token is validated in full: issuer,
// audience, expiry, nonce, and its signature against the issuer's JWKS (openid-client checks the claims;
// non-repudiation checks add the signature, which the spec would let a confidential client skip).
import * as client from "openid-client";
import { UsageError } from "../../errors.js";
import type { OidcConfig } from "./oidcSettings.js";

/** What the browser carries between the redirect to the provider and the callback (an HttpOnly cookie). */
export interface LoginFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

export interface VerifiedLogin {
  issuer: string;
  subject: string;
  claims: Readonly<Record<string, unknown>>;
}

/** The provider refused or the response failed a check (state, nonce, signature…): the user starts again. */
export class OidcLoginError extends Error {
  constructor(
    message: string,
    /** 502 when the provider could not be reached or answered nonsense, 400 for a bad or forged response. */
    readonly status: 400 | 502,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "OidcLoginError";
  }
}

/**
 * The precise reason, one line: openid-client wraps the failed check (`unexpected "state" response
 * parameter value`) and fetch the socket error (`connect ECONNREFUSED …`) one level down.
 */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError" || error.name === "AbortError") return "no answer in time";
  const cause = error.cause;
  if (cause instanceof Error) {
    if (cause.name === "TimeoutError" || cause.name === "AbortError") return "no answer in time";
    const code = (cause as NodeJS.ErrnoException).code;
    return cause.message || (typeof code === "string" ? code : error.message);
  }
  return error.message;
}

export class OidcLogin {
  private constructor(
    readonly config: OidcConfig,
    private readonly server: client.Configuration,
  ) {}

  /** Read the issuer's discovery document; a wrong or unreachable issuer is a usage error, named. */
  static async discover(config: OidcConfig, timeoutSeconds = 10): Promise<OidcLogin> {
    const insecure = config.issuer.protocol === "http:"; // loopback only: the settings allow nothing else
    // allowInsecureRequests is deprecated only to stand out; it is needed for a provider on the loopback
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- see above
    const execute = [...(insecure ? [client.allowInsecureRequests] : []), client.enableNonRepudiationChecks];
    const auth = config.clientSecret === undefined ? client.None() : client.ClientSecretPost(config.clientSecret);
    try {
      const server = await client.discovery(config.issuer, config.clientId, undefined, auth, {
        execute,
        timeout: timeoutSeconds,
      });
      return new OidcLogin(config, server);
    } catch (error) {
      throw new UsageError(
        `couldn't discover the OIDC issuer ${config.issuer.href} (dashboard.oidc.issuer): ${describeCause(error)}`,
        { cause: error },
      );
    }
  }

  get displayName(): string {
    return this.config.displayName;
  }

  get issuer(): string {
    return this.server.serverMetadata().issuer;
  }

  /** The provider's authorization URL for a new login, and the flow the callback must match. */
  async begin(returnTo: string): Promise<{ url: URL; flow: LoginFlow }> {
    const flow: LoginFlow = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo,
    };
    const url = client.buildAuthorizationUrl(this.server, {
      redirect_uri: this.config.redirectUri,
      scope: this.config.scopes.join(" "),
      response_type: "code",
      code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: "S256",
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url, flow };
  }

  /** Check the callback against the flow, redeem the code and validate the ID token. */
  async complete(callbackQuery: URLSearchParams, flow: LoginFlow): Promise<VerifiedLogin> {
    // The redirect_uri sent to the token endpoint is the callback URL without its query: build it from
    // the configured URL, not from the request's Host header.
    const current = new URL(this.config.redirectUri);
    current.search = callbackQuery.toString();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(this.server, current, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw toLoginError(error);
    }
    const claims = tokens.claims();
    if (!claims) throw new OidcLoginError("the provider returned no ID token", 502);
    return { issuer: claims.iss, subject: claims.sub, claims };
  }

  /** RP-initiated logout at the provider, when it offers an end_session_endpoint. */
  logoutUrl(): string | undefined {
    if (!this.server.serverMetadata().end_session_endpoint) return undefined;
    return client.buildEndSessionUrl(this.server, {
      client_id: this.config.clientId,
      post_logout_redirect_uri: this.config.postLogoutRedirectUri,
    }).href;
  }
}

function toLoginError(error: unknown): OidcLoginError {
  if (error instanceof client.AuthorizationResponseError) {
    return new OidcLoginError(
      `the provider refused the login: ${error.error}${error.error_description ? ` (${error.error_description})` : ""}`,
      400,
      { cause: error },
    );
  }
  if (error instanceof client.ResponseBodyError) {
    // invalid_grant: a code replayed, expired or redeemed with the wrong PKCE verifier.
    return new OidcLoginError(`the provider refused the code: ${error.error}`, 400, { cause: error });
  }
  const unreachable =
    error instanceof Error &&
    (error.name === "TimeoutError" ||
      error.name === "AbortError" ||
      (error instanceof TypeError && error.cause !== undefined));
  return new OidcLoginError(
    unreachable
      ? `the provider could not be reached: ${describeCause(error)}`
      : `the login response failed a check: ${describeCause(error)}`,
    unreachable ? 502 : 400,
    { cause: error },
  );
}
