// Branin as a command-line program: reads x1 and x2 from its arguments, prints one report line.
const [x1, x2] = process.argv.slice(2).map(Number);
const b = 5.1 / (4 * Math.PI ** 2),
  c = 5 / Math.PI,
  t = 1 / (8 * Math.PI);
const value = (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
console.log(`hpo: ${JSON.stringify({ step: 1, value })}`);
