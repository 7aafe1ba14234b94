// Preloaded into a benchmarked process (NODE_OPTIONS=--require): reports its peak RSS on exit.
process.on("exit", () => {
  process.stderr.write(`\nBENCH_PEAK_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
