import { describe, expect, it } from 'vitest';
import { makeRun } from './fixtures.ts';
import { renderJunit } from './junit.ts';

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  text: string;
}

/**
 * A strict little XML checker for what renderJunit emits: balanced tags, quoted attributes,
 * no raw `<` or stray `&` in text or attribute values. Returns the elements in order.
 */
function parseXml(xml: string): XmlElement[] {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const entity = /&(?!(?:amp|lt|gt|quot|apos|#\d+);)/;
  const stack: XmlElement[] = [];
  const elements: XmlElement[] = [];
  let roots = 0;
  while (token.lastIndex < body.length) {
    const at = token.lastIndex;
    const m = token.exec(body);
    if (!m) throw new Error(`not well-formed at ${at}: ${body.slice(at, at + 40)}`);
    const [, close, name, rawAttrs, selfClose, text] = m;
    if (text !== undefined) {
      if (entity.test(text)) throw new Error(`stray & in text: ${text}`);
      if (stack.length === 0 && text.trim()) throw new Error(`text outside the root: ${text}`);
      if (stack.length > 0) stack[stack.length - 1]!.text += text;
      continue;
    }
    if (close) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (rawAttrs ?? '').matchAll(/([\w.-]+)="([^"]*)"/g)) {
      if (entity.test(a[2]!)) throw new Error(`stray & in attribute ${a[1]}`);
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
      attrs[a[1]!] = a[2]!;
    }
    const el = { name: name!, attrs, text: '' };
    elements.push(el);
    if (stack.length === 0) roots++;
    if (!selfClose) stack.push(el);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
  return elements;
}

const named = (els: XmlElement[], name: string) => els.filter((e) => e.name === name);

describe('renderJunit', () => {
  it('is one well-formed suite with a test case per objective', () => {
    const els = parseXml(renderJunit(makeRun()));
    const [suite] = named(els, 'testsuite');
    expect(named(els, 'testsuite')).toHaveLength(1);
    expect(suite!.attrs).toMatchObject({
      name: 'tiergate ecommerce/10k',
      tests: '3',
      failures: '1',
      errors: '0',
      skipped: '0',
      time: '10.000',
    });
    const cases = named(els, 'testcase');
    expect(cases.map((c) => [c.attrs.classname, c.attrs.name, c.attrs.time])).toEqual([
      ['tiergate.ecommerce.10k.steady', 'browse p95 &lt; 500 ms', '6.000'],
      ['tiergate.ecommerce.10k.steady', 'checkout p95 &lt; 1.5 s', '6.000'],
      ['tiergate.ecommerce.10k.whole', 'error_rate &lt; 1%', '10.000'],
    ]);
    const failures = named(els, 'failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.attrs.message).toBe('observed 2.41 s, limit 1.5 s');
    expect(failures[0]!.text).toContain('checkout p95 2.41 s &gt; 1.5 s (+61%)');
    // A warning is a note, not a failure.
    const out = named(els, 'system-out');
    expect(out).toHaveLength(1);
    expect(out[0]!.text).toContain('error_rate 1.13% &gt; 1% (+12%)');
  });

  it('escapes <, & and " in names, attributes and text', () => {
    const run = makeRun();
    const v = run.verdict.objectives[1]!;
    v.expression = 'a<b&c"d\'e p95 < 1.5 s';
    v.reason = 'broke <badly> & "loudly"\u0007';
    const xml = renderJunit(run);
    const els = parseXml(xml);
    const failing = named(els, 'testcase')[1]!;
    expect(failing.attrs.name).toBe('a&lt;b&amp;c&quot;d&apos;e p95 &lt; 1.5 s');
    expect(named(els, 'failure')[0]!.text).toContain('broke &lt;badly&gt; &amp; "loudly"\uFFFD');
    expect(xml).not.toContain('\u0007');
  });

  it('adds an error for an inconclusive run', () => {
    const run = makeRun();
    run.verdict.status = 'inconclusive';
    run.verdict.inconclusiveReasons = [
      'the generator fell behind its schedule: send lag p99 80 ms > 50 ms',
    ];
    const els = parseXml(renderJunit(run));
    const validity = named(els, 'testcase').find((c) => c.attrs.name === 'generator validity');
    expect(validity).toBeDefined();
    const errors = named(els, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.attrs.type).toBe('inconclusive');
    expect(errors[0]!.text).toContain('send lag p99 80 ms &gt; 50 ms');
    expect(named(els, 'testsuite')[0]!.attrs).toMatchObject({ tests: '4', errors: '1' });
  });

  it('adds an error naming the rollback trigger of an aborted run', () => {
    const run = makeRun();
    run.outcome = {
      state: 'aborted',
      trigger: 'checkout-errors',
      atS: 6.25,
      reason: 'error rate 12% for 5 s',
    };
    const els = parseXml(renderJunit(run));
    const aborted = named(els, 'testcase').at(-1)!;
    expect(aborted.attrs).toMatchObject({
      classname: 'tiergate.ecommerce.10k.rollback',
      name: 'rollback trigger checkout-errors',
      time: '6.250',
    });
    const error = named(els, 'error')[0]!;
    expect(error.attrs.type).toBe('aborted');
    expect(error.attrs.message).toContain('aborted by rollback trigger checkout-errors at 6.25 s');
    expect(error.text).toBe('error rate 12% for 5 s');
  });

  it('marks an optional objective without data as skipped', () => {
    const run = makeRun();
    const v = run.verdict.objectives[0]!;
    Object.assign(v, { status: 'skipped', observed: null, reason: 'no baseline run given' });
    const els = parseXml(renderJunit(run));
    expect(named(els, 'skipped')).toHaveLength(1);
    expect(named(els, 'testsuite')[0]!.attrs.skipped).toBe('1');
  });
});
