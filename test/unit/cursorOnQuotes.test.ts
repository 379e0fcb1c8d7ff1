import * as assert from 'node:assert/strict';
import { idAt } from '../../src/core/ids/extract';

const PSID = '4786512345678901';

describe('The ID under the cursor, when the cursor is on its quotes', () => {
  it('takes the ID from a cursor on the opening quote, just after the last digit and after the closing quote', () => {
    const line = `"sender": {"id": "${PSID}"},`;
    const open = line.indexOf(`"${PSID}`);
    const close = open + 1 + PSID.length;
    for (const offset of [open, open + 1, close, close + 1]) {
      assert.equal(idAt(line, offset)?.id, PSID, `offset ${offset} (${JSON.stringify(line.slice(offset - 1, offset + 1))})`);
    }
  });

  it('does not reach past a quote to anything but digits', () => {
    assert.equal(idAt('"id": "abc"', 6), undefined);
    assert.equal(idAt('"t_12345678"', 0), undefined, 'a quote before t_… is not an ID');
    assert.equal(idAt(`"${PSID}" `, PSID.length + 3), undefined, 'a space after the closing quote is outside');
  });
});
