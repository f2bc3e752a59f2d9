// pad.test.mjs — the drawing pad's words for an answer (issue 14): when the network is unsure —
// its top probability under the threshold chosen for it on the validation set, or the runner-up
// more than half as likely — the pad names the two likeliest digits instead of one bar.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unsure } from '../../web/page/pad.js';

const shares = (pairs) => { const a = new Array(10).fill(0); for (const [d, p] of pairs) a[d] = p; return a; };

test('sure answers stay sure; doubtful ones name the two likeliest digits', () => {
  assert.equal(unsure(shares([[4, 0.97], [9, 0.03]]), 1, 0.56), null);
  assert.deepEqual(unsure(shares([[4, 0.5], [9, 0.3], [1, 0.2]]), 1, 0.56), [4, 9]); // under the threshold
  assert.deepEqual(unsure(shares([[9, 0.6], [4, 0.35], [7, 0.05]]), 1, 0.56), [9, 4]); // the runner-up close
  assert.equal(unsure(shares([[9, 0.6], [4, 0.25]]), 0.85, null), null); // no threshold: only closeness counts
});
