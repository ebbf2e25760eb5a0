// Single and multiple choice (choice.py)
function choiceId(answer, choices) {
  if (typeof answer !== "string") return null;
  const wanted = answer.trim().toLowerCase();
  return Object.keys(choices).find((id) => wanted === id.toLowerCase() || wanted === choices[id].toLowerCase()) ?? null;
}

RULES.single = {
  rule(q, answer, oracle) {
    const choices = Object.keys(q.choices);
    const choice = choiceId(answer, q.choices);
    if (choice === null) return [0, `Your answer should be one of ${quoted(choices)}.`];
    if (oracle.choiceRight(choice)) return [1, "Correct."];
    return [0, withHint(`Not '${choice}'.`, q, oracle.choiceHint(choice))];
  },
};

RULES.multiple = {
  emptyListAnswers: true, // [] says "none of these applies", which may be the key
  rule(q, answer, oracle) {
    const choices = Object.keys(q.choices);
    if (typeof answer === "string") answer = [answer];
    if (!Array.isArray(answer) || !answer.every((a) => typeof a === "string")) {
      return [0, `Your answer should be a list of choices from ${quoted(choices)}.`];
    }
    const picked = [...new Set(answer.map((a) => choiceId(a, q.choices) ?? a.trim()))].sort();
    const unknown = picked.filter((c) => !choices.includes(c));
    if (unknown.length) return [0, `Your answer should only use the choices ${quoted(choices)}; not ${quoted(unknown)}.`];
    const right = picked.filter((c) => oracle.choiceRight(c));
    const wrong = picked.filter((c) => !right.includes(c));
    const n = oracle.nRightChoices();
    if (right.length === n && !wrong.length) {
      return [1, n === 0 ? "Correct: none of the choices applies." : `Correct: all ${n} right choices and no others.`];
    }
    if (!picked.length) return [0, withHint(`You chose none of the choices; there are ${n} right choices in all.`, q)];
    const message = `${right.length} of your choices are right and ${wrong.length} are not; there are ${n} right choices in all.`;
    return [(right.length - wrong.length) / Math.max(n, 1), withHint(message, q, ...wrong.slice(0, 1).map((c) => oracle.choiceHint(c)))];
  },
};
