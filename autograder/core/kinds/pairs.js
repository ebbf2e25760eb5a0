// Matching and classification (pairs.py)
function pairsRule(noun, where) {
  return {
    blank: (q, answer) => (isPlainObject(answer) && Object.values(answer).every((v) => v === null)
      ? "No answer yet: fill in the dict." : null),
    rule(q, answer, oracle) {
      const items = q.items;
      const options = q.options;
      const letters = labels(options.length);
      if (!isPlainObject(answer)) {
        return [0, `Your answer should be a dict from each of ${items.length} items to one of ${quoted(letters)}.`];
      }
      answer = Object.fromEntries(Object.entries(answer).map(([k, v]) => [String(k).trim(), resolveOption(v, options)]));
      const unknown = Object.keys(answer).filter((k) => !items.includes(k));
      if (unknown.length) return [0, `Your answer should only use the given items as keys; not ${quoted(unknown)}.`];
      const bad = Object.values(answer).filter((v) => v !== null && !options.includes(v));
      if (bad.length) return [0, `Your answer should only use the options ${quoted(letters)}; not ${quoted(bad)}.`];
      const wrong = items.filter((item) => answer[item] == null || !oracle.pairRight(item, answer[item]));
      const right = items.length - wrong.length;
      if (!wrong.length) return [1, `Correct: all ${items.length} ${noun} are right.`];
      const itemHints = wrong.map((item) => q.hints[item]).filter(Boolean);
      return [right / items.length, withHint(`${right} of ${items.length} ${noun} are ${where}.`, q, ...itemHints.slice(0, 2))];
    },
  };
}
RULES.matching = pairsRule("pairings", "right");
RULES.classification = pairsRule("items", "in the right category");
