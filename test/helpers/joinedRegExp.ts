// One regular expression written as several literals, so an expected message longer than a line stays
// readable and within 120 columns: the parts' sources are joined unchanged (no part may end inside a
// group, a class or an escape).
export function joinedRegExp(parts: readonly RegExp[], flags = ""): RegExp {
  return new RegExp(parts.map((part) => part.source).join(""), flags);
}
