// The scoring rules in the browser, for the book's practice questions: the same rules,
// comparisons and messages as the Python kinds beside these files, asked through an
// oracle that holds the key (a practice question may show its answer anyway).
// tests/golden_rules.yml holds the cases the two must agree on, run by pytest on both.
const RULES = {};

function quoted(values) {
  return values.map((v) => `'${v}'`).join(", ");
}

function withHint(message, q, ...extra) {
  let hints = extra.filter(Boolean);
  if (!hints.length && q.hint) hints = [q.hint];
  return [message, ...hints].join(" ").trim();
}

// core/plain.py normalise_text: case, accents, punctuation, articles and spacing do not matter
function normaliseText(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/&/g, " and ")
    .replace(/[^\p{L}\p{N}_\s]/gu, " ").replace(/(?<![\p{L}\p{N}_])(the|a|an)(?![\p{L}\p{N}_])/gu, " ")
    .split(/\s+/).filter(Boolean).join(" ");
}

// Python's format(x, "g"): six significant digits, exponent form outside 1e-4 .. 1e6
function formatG(x) {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  if (x === 0) return "0";
  const [mantissa, e] = x.toExponential(5).split("e");
  const exponent = Number(e);
  if (exponent < -4 || exponent >= 6) {
    const digits = mantissa.replace(/\.?0+$/, "");
    return `${digits}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return String(Number(x.toPrecision(6)));
}

// base.py labels and resolve_option: options carry short labels; an answer may use either
function labels(n) {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  return [...Array(n).keys()].map((i) => (i < 26 ? letters[i] : letters[Math.floor(i / 26) - 1] + letters[i % 26]));
}

function resolveOption(value, options) {
  if (typeof value !== "string") return value;
  const wanted = value.trim().toLowerCase();
  const letters = labels(options.length);
  const i = options.findIndex((option, n) => wanted === letters[n] || wanted === option.toLowerCase());
  return i >= 0 ? options[i] : value.trim();
}

const isNumber = (x) => typeof x === "number";
const isPlainObject = (x) => x !== null && typeof x === "object" && !Array.isArray(x);

// core/compare.py: numbers are compared on a grid a quarter of the tolerance wide
function tolerance(q, key) {
  const abs = q.tolerance || 0;
  let rel = q.rel_tolerance || 0;
  if (!abs && !rel) rel = 1e-6;
  return Math.max(abs, rel * Math.abs(key), 1e-9);
}

function onGrid(x, key, tol) {
  const step = tol / 4;
  const cell = Math.floor(x / step);
  return cell >= Math.floor((key - tol) / step) && cell <= Math.floor((key + tol) / step);
}

// core/oracles.py KeyOracle, for the kinds the book can practise.  `spec` is what the key
// side knows beyond the key: {hints, mistakes, tolerance, rel_tolerance}.
function keyOracle(spec, key) {
  const hints = spec.hints || {};
  const mistakes = spec.mistakes || [];
  const list = Array.isArray(key) ? key : [key];
  const tol = isNumber(key) ? tolerance(spec, key) : 0;
  return {
    choiceRight: (choice) => list.includes(choice),
    nRightChoices: () => list.length,
    choiceHint: (choice) => hints[choice] ?? null,
    pairRight: (left, right) => key[left] === right,
    before: (a, b) => key.indexOf(a) < key.indexOf(b),
    numberClose: (x) => onGrid(x, key, tol),
    textRight: (normalised) => key.map(normaliseText).includes(normalised),
    mistakeHint(value) {
      for (const mistake of mistakes) {
        const wrong = mistake.answer;
        if (typeof value === "string" && typeof wrong === "string" && normaliseText(wrong) === value) return mistake.hint;
        if (isNumber(value) && isNumber(wrong) && onGrid(value, wrong, tolerance(spec, wrong))) return mistake.hint;
      }
      return null;
    },
  };
}

// core/rules.py score
function score(q, answer, oracle) {
  const points = Number(q.points);
  const result = (fraction, status, message) => ({ points: Math.round(points * fraction * 1e4) / 1e4, max_points: points, status, message });
  const kind = RULES[q.kind];
  const emptyList = Array.isArray(answer) && !answer.length;
  const empty = answer === null || answer === undefined || answer === "" || (emptyList && !kind.emptyListAnswers)
    || (isPlainObject(answer) && !Object.keys(answer).length);
  if (empty) return result(0, "blank", "No answer yet.");
  const blank = kind.blank ? kind.blank(q, answer) : null;
  if (blank) return result(0, "blank", blank);
  let [fraction, message] = kind.rule(q, answer, oracle);
  fraction = Math.max(0, Math.min(1, fraction));
  let status = fraction >= 1 ? "correct" : fraction > 0 ? "partial" : "wrong";
  if (status === "wrong" && message.startsWith("Your answer should")) status = "invalid";
  return result(fraction, status, message);
}
