'use strict';
// Symbolic regression: predict(x) should reproduce a hidden function of x.
// Kaizen evolves only the code between the EVOLVE-BLOCK markers; evaluate.js
// scores predict() on 61 fixed points and trusts nothing it returns.
// Standard library only (Math is all there is).

// EVOLVE-BLOCK-START
function predict(x) {
  // A sum of terms; every coefficient, frequency and power is a knob, and
  // a term that does not belong can be deleted or tuned to zero.
  let y = 0.5;
  y -= 0.5 * x;
  y += 1.0 * Math.sin(1.2 * x);
  y += 0.5 * Math.pow(x, 2);
  y += 0.4 * Math.cos(2.0 * x);
  y += 0.1 * Math.pow(x, 3);
  return y;
}
// EVOLVE-BLOCK-END

module.exports = { predict };

if (require.main === module) {
  for (let x = -3; x <= 3; x += 0.5) {
    console.log(x.toFixed(1), predict(x).toFixed(6));
  }
}
