// Preloaded into a benchmarked process (NODE_OPTIONS=--require): reports its peak RSS and the CPU
// time it used (user + system) on exit.
process.on("exit", () => {
  const usage = process.resourceUsage();
  process.stderr.write(`\nBENCH_PEAK_RSS_KB=${usage.maxRSS}\nBENCH_CPU_US=${usage.userCPUTime + usage.systemCPUTime}\n`);
});
