// Runs named functions a widget's front end exports, outside the browser: reads
// {"module": "<the widget's whole ES module>", "calls": [{fn, args}]} on stdin and prints
// each call's result. The module is imported as it is shipped; its DOM code only runs in
// render(), which is never called here.
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", async () => {
  const { module, calls } = JSON.parse(input);
  const exported = await import(`data:text/javascript;base64,${Buffer.from(module).toString("base64")}`);
  const results = calls.map(({ fn, args }) => {
    if (typeof exported[fn] !== "function") throw new Error(`the module exports no function ${fn}`);
    return exported[fn](...args);
  });
  process.stdout.write(JSON.stringify(results));
});
