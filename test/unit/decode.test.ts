import * as assert from 'node:assert/strict';
import {
  array,
  edgeData,
  id,
  malformed,
  object,
  optionalBoolean,
  optionalNumber,
  optionalString,
  string,
  stringArray,
  time,
} from '../../src/core/graph/decode';
import { refusedField } from './support/refusedField';

// Each reader of a Graph response, at its edges (found unpinned by mutation testing).
describe('Graph response readers', () => {
  it('says what it got and what it expected, naming JSON types', () => {
    assert.equal(malformed('p.x', 'a string', null).message, 'The Graph API response has p.x as null, expected a string.');
    assert.equal(malformed('p.x', 'an object', [1]).message, 'The Graph API response has p.x as array, expected an object.');
    assert.equal(malformed('p.x', 'an object', 3).message, 'The Graph API response has p.x as number, expected an object.');
    assert.equal(malformed('p.x', 'an object', 3).field, 'p.x');
  });

  it('objects and arrays', () => {
    assert.deepEqual(
      [null, [], 'x', {}].map((v) => refusedField(() => object(v, 'p'))),
      ['p', 'p', 'p', 'ok'],
    );
    assert.deepEqual(
      [null, {}, 'x', []].map((v) => refusedField(() => array(v, 'p'))),
      ['p', 'p', 'p', 'ok'],
    );
  });

  it('strings, required and optional', () => {
    assert.equal(string({ k: '' }, 'k', 'p'), '');
    assert.equal(
      refusedField(() => string({ k: 1 }, 'k', 'p')),
      'p.k',
    );
    assert.equal(optionalString({ k: null }, 'k', 'p'), undefined);
    assert.equal(optionalString({}, 'k', 'p'), undefined);
    assert.equal(optionalString({ k: 'v' }, 'k', 'p'), 'v');
    assert.equal(
      refusedField(() => optionalString({ k: 1 }, 'k', 'p')),
      'p.k',
    );
  });

  it('IDs: non-empty strings, or safe integers turned into strings', () => {
    assert.equal(id({ k: 1234 }, 'k', 'p'), '1234');
    assert.equal(id({ k: '0' }, 'k', 'p'), '0');
    assert.deepEqual(
      [2 ** 53, 1.5, '', null, undefined].map((v) => refusedField(() => id({ k: v }, 'k', 'p'))),
      ['p.k', 'p.k', 'p.k', 'p.k', 'p.k'],
    );
  });

  it('numbers and booleans, optional', () => {
    assert.equal(optionalNumber({ k: 0 }, 'k', 'p'), 0);
    assert.equal(optionalNumber({ k: null }, 'k', 'p'), undefined);
    assert.equal(optionalNumber({}, 'k', 'p'), undefined);
    assert.deepEqual(
      ['1', Infinity, NaN].map((v) => refusedField(() => optionalNumber({ k: v }, 'k', 'p'))),
      ['p.k', 'p.k', 'p.k'],
    );
    assert.equal(optionalBoolean({ k: false }, 'k', 'p'), false);
    assert.equal(optionalBoolean({ k: null }, 'k', 'p'), undefined);
    assert.equal(optionalBoolean({}, 'k', 'p'), undefined);
    assert.equal(
      refusedField(() => optionalBoolean({ k: 'true' }, 'k', 'p')),
      'p.k',
    );
  });

  it('lists of strings, naming the item that is not one', () => {
    assert.deepEqual(stringArray({}, 'k', 'p'), []);
    assert.deepEqual(stringArray({ k: null }, 'k', 'p'), []);
    assert.deepEqual(stringArray({ k: ['a', 'b'] }, 'k', 'p'), ['a', 'b']);
    assert.equal(
      refusedField(() => stringArray({ k: ['a', 2] }, 'k', 'p')),
      'p.k[1]',
    );
    assert.equal(
      refusedField(() => stringArray({ k: 'a' }, 'k', 'p')),
      'p.k',
    );
  });

  it("Meta's times, with the offset without a colon", () => {
    assert.equal(time({ t: '2022-07-12T19:11:07+0000' }, 't', 'p'), Date.UTC(2022, 6, 12, 19, 11, 7));
    assert.equal(time({ t: '2022-07-12T19:11:07-0130' }, 't', 'p'), Date.UTC(2022, 6, 12, 20, 41, 7));
    assert.equal(time({ t: '2022-07-12T19:11:07+05:30' }, 't', 'p'), Date.UTC(2022, 6, 12, 13, 41, 7));
    assert.equal(
      refusedField(() => time({ t: 'yesterday' }, 't', 'p')),
      'p.t',
    );
    assert.equal(
      refusedField(() => time({ t: 5 }, 't', 'p')),
      'p.t',
    );
  });

  it("Meta's times in an engine that reads only ECMAScript's date format (the web host may not be V8)", () => {
    const lenient = Date.parse;
    // ECMAScript's format needs a colon in the offset; V8 also reads Meta's +0000, other engines need not.
    Date.parse = (text: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:\d{2})$/.test(text) ? lenient(text) : NaN);
    try {
      assert.equal(time({ t: '2022-07-12T19:11:07+0000' }, 't', 'p'), Date.UTC(2022, 6, 12, 19, 11, 7));
      assert.equal(time({ t: '2022-07-12T19:11:07-0130' }, 't', 'p'), Date.UTC(2022, 6, 12, 20, 41, 7));
    } finally {
      Date.parse = lenient;
    }
  });

  it('inline edges: their data, or nothing when absent', () => {
    assert.deepEqual(edgeData({}, 'e', 'p'), []);
    assert.deepEqual(edgeData({ e: null }, 'e', 'p'), []);
    assert.deepEqual(edgeData({ e: { data: [1] } }, 'e', 'p'), [1]);
    assert.equal(
      refusedField(() => edgeData({ e: [] }, 'e', 'p')),
      'p.e',
    );
    assert.equal(
      refusedField(() => edgeData({ e: {} }, 'e', 'p')),
      'p.e.data',
    );
  });
});
