// Runs the browser's scoring rules on golden cases: reads {"rules": "<js>", "cases": [...]}
// on stdin, each case {question, key, oracle, answer}, and prints the outcomes.
const vm = require("vm");
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { rules, cases } = JSON.parse(input);
  const api = vm.runInThisContext(`${rules}\n;({ score, keyOracle });`);
  const outcomes = cases.map((c) => api.score(c.question, c.answer, api.keyOracle(c.oracle, c.key)));
  process.stdout.write(JSON.stringify(outcomes));
});
