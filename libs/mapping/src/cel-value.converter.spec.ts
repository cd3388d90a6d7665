import { fromCelResult, toCelInput } from './cel-value.converter';

describe('toCelInput', () => {
  it('turns integral numbers into BigInt, deeply, and leaves the rest', () => {
    expect(toCelInput({ a: 1, b: 1.5, c: ['x', 2, { d: -3 }], e: null, f: true })).toEqual({ a: 1n, b: 1.5, c: ['x', 2n, { d: -3n }], e: null, f: true });
  });
});

describe('fromCelResult', () => {
  it.each<[string, unknown, unknown]>([
    ['string', 'x', 'x'],
    ['safe bigint', 42n, 42],
    ['huge bigint', 2n ** 70n, (2n ** 70n).toString()],
    ['double', 1.5, 1.5],
    ['infinity', Infinity, 'Infinity'],
    ['bool', false, false],
    ['null', null, null],
    ['list', [1n, 'a'], [1, 'a']],
    ['Map', new Map<unknown, unknown>([['a', 1n], [2n, 'b']]), { a: 1, 2: 'b' }],
    ['bytes', new Uint8Array([104, 105]), 'aGk='],
    ['timestamp', new Date('2024-01-02T03:04:05Z'), '2024-01-02T03:04:05.000Z'],
  ])('%s', (_case, value, expected) => {
    expect(fromCelResult(value, 1024)).toEqual({ ok: true, value: expected });
  });

  it('keeps a "__proto__" key as data', () => {
    const result = fromCelResult(new Map([['__proto__', 'x']]), 1024);
    expect(result.ok && Object.keys(result.value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['a long string', 'x'.repeat(2000)],
    ['a long list', Array.from({ length: 600 }, () => 1n)],
    ['a wide map', Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`key${i}`, 'v']))],
  ])('refuses %s past the bound', (_case, value) => {
    expect(fromCelResult(value, 1024)).toEqual({ ok: false, message: 'result is larger than 1024 bytes of JSON' });
  });
});
