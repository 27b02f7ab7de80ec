// The Branin–Hoo function, a standard 2-D test function for global optimisation.
// f(x1, x2) = a (x2 - b x1² + c x1 - r)² + s (1 - t) cos(x1) + s, minimum 0.397887.
exports.objective = async function objective(params, ctx) {
  const { x1, x2 } = params;
  const a = 1,
    b = 5.1 / (4 * Math.PI ** 2),
    c = 5 / Math.PI,
    r = 6,
    s = 10,
    t = 1 / (8 * Math.PI);
  const value = a * (x2 - b * x1 ** 2 + c * x1 - r) ** 2 + s * (1 - t) * Math.cos(x1) + s;
  await ctx.report(1, { value });
  return { value };
};
