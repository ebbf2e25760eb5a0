// Ordering (ordering.py): partial credit for the longest run of items in order
RULES.ordering = {
  blank: (q, answer) => (Array.isArray(answer) && answer.length === q.items.length && answer.every((a, i) => a === q.items[i])
    ? "You have not reordered the list yet." : null),
  rule(q, answer, oracle) {
    const items = q.items;
    if (!Array.isArray(answer) || !answer.every((a) => typeof a === "string")) {
      return [0, `Your answer should be a list holding each of the ${items.length} items once, in order.`];
    }
    answer = answer.map((a) => a.trim());
    const missing = items.filter((i) => !answer.includes(i));
    const extra = answer.filter((a) => !items.includes(a));
    if (missing.length || extra.length || answer.length !== items.length) {
      const parts = [];
      if (missing.length) parts.push(`missing ${quoted(missing)}`);
      if (extra.length) parts.push(`not among the items: ${quoted(extra)}`);
      if (!parts.length) parts.push("some items appear twice");
      return [0, `Your answer should hold each of the ${items.length} items exactly once (${parts.join("; ")}).`];
    }
    const best = answer.map(() => 1);
    for (let j = 0; j < answer.length; j++) {
      for (let i = 0; i < j; i++) if (oracle.before(answer[i], answer[j])) best[j] = Math.max(best[j], best[i] + 1);
    }
    const longest = Math.max(...best);
    if (longest === items.length) return [1, "Correct: every item is in its place."];
    const message = `${longest} of ${items.length} items are in the right order relative to each other.`;
    return [(longest - 1) / (items.length - 1), withHint(message, q)];
  },
};
