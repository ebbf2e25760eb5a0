// Numeric (numeric.py): a number within the tolerance
RULES.numeric = {
  rule(q, answer, oracle) {
    if (typeof answer === "string") {
      const text = answer.replaceAll(",", "").trim();
      answer = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : NaN;
      if (Number.isNaN(answer)) return [0, "Your answer should be a number."];
    }
    if (!isNumber(answer) || !Number.isFinite(answer)) return [0, "Your answer should be a number."];
    if (oracle.numberClose(answer)) return [1, "Correct."];
    return [0, withHint(`${formatG(answer)} is not within the tolerance.`, q, oracle.mistakeHint(answer))];
  },
};
