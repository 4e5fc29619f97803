// The login throttle: a few free failures, then a wait that doubles per failure up to a cap, forgotten
// after 15 quiet minutes; an attempt counts from its start, so a parallel burst cannot slip through.
import { describe, expect, test } from "vitest";
import { LoginThrottle, type ThrottleKey } from "../../../dashboard/auth/loginThrottle.js";

const policy = { freeFailures: 3, firstDelayMs: 1000, maxDelayMs: 60_000 };
const admin: ThrottleKey = { key: "user:admin", policy };
const address: ThrottleKey = { key: "ip:192.0.2.1", policy: { ...policy, maxDelayMs: 15 * 60_000 } };

describe("LoginThrottle", () => {
  test("free failures, then a wait doubling per failure, capped", () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 9, 30, 1000].map((failures) => LoginThrottle.delayMs(policy, failures));
    expect(delays).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
  });

  test("a stranger's wrong passwords make the admin wait at most a minute, never a lockout", () => {
    const throttle = new LoginThrottle();
    let now = 0;
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfter([admin], now)).toBe(0);
      throttle.attempt([admin], now);
    }
    expect(throttle.retryAfter([admin], now)).toBe(1);
    // the stranger keeps trying each time the wait is over: the wait grows to a minute and no further
    for (let i = 0; i < 20; i++) {
      now += throttle.retryAfter([admin], now) * 1000;
      throttle.attempt([admin], now);
    }
    expect(throttle.retryAfter([admin], now)).toBe(60);
    // the admin, after that minute, may try
    expect(throttle.retryAfter([admin], now + 60_000)).toBe(0);
  });

  test("each key has its own count; the longest wait of the keys applies", () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 4; i++) throttle.attempt([address], 0);
    expect(throttle.retryAfter([admin], 0)).toBe(0);
    expect(throttle.retryAfter([admin, address], 0)).toBe(2);
  });

  test("a success forgets the username's failures and takes back only its own count from the address", () => {
    const throttle = new LoginThrottle();
    const other: ThrottleKey = { key: "user:other", policy };
    for (let i = 0; i < 3; i++) throttle.attempt([other, address], 0);
    throttle.attempt([admin, address], 0);
    throttle.succeeded([admin], [address]);
    expect(throttle.retryAfter([admin], 0)).toBe(0);
    // the three failures at another account still count against the address
    expect(throttle.retryAfter([address], 0)).toBe(1);
  });

  test("failures are forgotten after 15 quiet minutes", () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 10; i++) throttle.attempt([admin], 0);
    expect(throttle.retryAfter([admin], 14 * 60_000)).toBe(0); // the wait (capped at 1 min) is long over
    throttle.attempt([admin], 15 * 60_000 + 1);
    expect(throttle.retryAfter([admin], 15 * 60_000 + 1)).toBe(0); // one failure after the quiet spell: free
  });
});
