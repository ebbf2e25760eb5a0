// Short text (text.py): accepted answers after normalisation
RULES.text = {
  rule(q, answer, oracle) {
    if (typeof answer !== "string") return [0, "Your answer should be a short piece of text (a string)."];
    const normalised = normaliseText(answer);
    if (oracle.textRight(normalised)) return [1, "Correct."];
    return [0, withHint(`'${answer.trim()}' is not an answer we accept.`, q, oracle.mistakeHint(normalised))];
  },
};
