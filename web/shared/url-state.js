// @ts-check
// url-state.js — settings and their home in the URL, for the page and every figure: a view
// declares its settings once, as a schema (a number in a range, a whole number, one of some
// choices, on/off, a list of numbers, some of a list of names, or any value a `check` accepts —
// the page's checks ask the core), and this module reads them from a query string, checking each
// (a malformed value falls back to its default and leaves a note saying why), and writes them
// back, leaving out what equals the default, so that a link reproduces the view. Plain data and
// functions, no DOM: Node's tests run it too. Not here: what the settings mean (the page's
// params.js, each figure's schema).

/**
 * A setting: its type and range (or the check that says what it may be), its default, and for
 * controls a step and a label. check(text) returns the value or throws an Error whose message
 * says why not; format(value) is its text in the URL (default: by type).
 * @typedef {{
 *   type?: 'number' | 'int' | 'choice' | 'bool' | 'list' | 'names',
 *   min?: number, max?: number, step?: number, length?: [number, number],
 *   values?: Record<string, string> | string[], default: any, label?: string,
 *   check?: (text: string) => any, format?: (value: any) => string,
 * }} Setting
 * @typedef {Record<string, Setting>} Schema
 * @typedef {{ reserved?: string[], base?: Record<string, any>, aliases?: Record<string, string>,
 *   unknown?: 'note' | 'ignore', fix?: (state: Record<string, any>, notes: string[], given: Set<string>) => void }} ParseOptions
 */

/** A short, safe rendering of a user's text for a note (never markup: callers use textContent). */
export const quote = (/** @type {string} */ text) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** The text of a number in a URL: at most 4 decimals, no trailing zeros. */
export const formatNumber = (/** @type {number} */ v) => String(Number(v.toFixed(4)));

const copy = (/** @type {any} */ v) => (Array.isArray(v) ? [...v] : v);

/** The schema's default state, as a fresh object. @param {Schema} schema */
export function defaults(schema) {
  return Object.fromEntries(Object.entries(schema).map(([name, s]) => [name, copy(s.default)]));
}

/** The names a choice or names setting takes. @param {Setting} s */
const namesOf = (s) => (Array.isArray(s.values) ? s.values : Object.keys(s.values ?? {}));

/** What a setting may be, in words, for notes. @param {Setting} s */
function expected(s) {
  switch (s.type) {
    case 'number': return `a number from ${s.min} to ${s.max}`;
    case 'int': return `a whole number from ${s.min} to ${s.max}`;
    case 'choice': return `one of ${namesOf(s).join(', ')}`;
    case 'bool': return '0 or 1';
    case 'list': return `${s.length?.[0]} to ${s.length?.[1]} numbers from ${s.min} to ${s.max}, separated by commas`;
    case 'names': return `some of ${namesOf(s).join(', ')}, separated by commas`;
    default: throw new Error(`unknown setting type ${s.type}`);
  }
}

const inRange = (/** @type {Setting} */ s, /** @type {number} */ v) => Number.isFinite(v) && v >= /** @type {number} */ (s.min) && v <= /** @type {number} */ (s.max);
const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;

/** The value of text for setting s, or undefined if it is not one. A 'names' setting keeps the
 * names it knows and reports the others in `unknown`. @param {Setting} s @param {string} text @param {string[]} unknown */
function parseValue(s, text, unknown) {
  switch (s.type) {
    case 'number': return NUMBER.test(text) && inRange(s, Number(text)) ? Number(text) : undefined;
    case 'int': return /^\s*[-+]?\d+\s*$/.test(text) && inRange(s, Number(text)) ? Number(text) : undefined;
    case 'choice': return namesOf(s).includes(text) ? text : undefined;
    case 'bool': return text === '1' ? true : text === '0' ? false : undefined;
    case 'list': {
      const parts = text.split(','), [fewest, most] = s.length ?? [1, Infinity];
      if (parts.length < fewest || parts.length > most || !parts.every((p) => NUMBER.test(p))) return undefined;
      const values = parts.map(Number);
      return values.every((v) => inRange(s, v)) ? values : undefined;
    }
    case 'names': {
      const asked = text.split(',').map((p) => p.trim()).filter(Boolean), known = namesOf(s);
      unknown.push(...asked.filter((p) => !known.includes(p)));
      const kept = asked.filter((p) => known.includes(p));
      return kept.length ? kept : undefined;
    }
    default: return undefined;
  }
}

/** The text of a value in the URL. @param {Setting} s @param {any} value */
export function formatValue(s, value) {
  if (s.format) return s.format(value);
  switch (s.type) {
    case 'bool': return value ? '1' : '0';
    case 'number': return formatNumber(value);
    case 'list': return value.map(formatNumber).join(',');
    case 'names': return value.join(',');
    default: return String(value);
  }
}

/**
 * Reads a state from a query string: { state, notes }. Each setting starts from `base` (default:
 * the schema's defaults); a value its check or type refuses leaves it there with a note.
 * `reserved`: parameters read elsewhere (the figure's id); `aliases`: older spellings read as the
 * name they stand for; `unknown`: a parameter of no setting is noted (the default) or ignored.
 * `fix(state, notes, given)`, if given, makes settings agree with each other (a list as long as
 * a count; a default that depends on another setting), knowing which settings the link gave.
 * @param {Schema} schema @param {string | URLSearchParams} search @param {ParseOptions} [options]
 */
export function parseState(schema, search, { reserved = [], base, aliases = {}, unknown = 'note', fix } = {}) {
  const params = new URLSearchParams(search);
  for (const [alias, name] of Object.entries(aliases)) if (params.has(alias) && !params.has(name)) params.set(name, /** @type {string} */ (params.get(alias)));
  const start = base ?? defaults(schema);
  /** @type {Record<string, any>} */
  const state = Object.fromEntries(Object.keys(schema).map((name) => [name, copy(start[name])]));
  /** @type {string[]} */
  const notes = [];
  const given = new Set(), skip = new Set([...reserved, ...Object.keys(aliases)]);
  for (const [name, text] of params) {
    if (skip.has(name) || given.has(name)) continue;
    const s = Object.hasOwn(schema, name) ? schema[name] : null;
    if (!s) {
      if (unknown === 'note') notes.push(`unknown setting ${quote(name)} ignored; the settings are ${Object.keys(schema).join(', ')}`);
      continue;
    }
    given.add(name);
    const using = `using ${formatValue(s, state[name])}`;
    if (s.check) {
      try {
        state[name] = s.check(text);
      } catch (e) {
        notes.push(`${name}=${quote(text)}: ${/** @type {Error} */ (e).message}; ${using}`);
      }
      continue;
    }
    /** @type {string[]} */
    const strangers = [];
    const value = parseValue(s, text, strangers);
    if (value === undefined) notes.push(`${name}=${quote(text)} is not ${expected(s)}; ${using}`);
    else {
      state[name] = value;
      if (strangers.length) notes.push(`${name}=${quote(text)}: ${strangers.map(quote).join(', ')} left out, not one of ${namesOf(s).join(', ')}`);
    }
  }
  fix?.(state, notes, given);
  return { state, notes };
}

/** The query string's settings for a state: those that differ from `base` (default: the
 * schema's defaults), in the schema's order, as [name, text] pairs.
 * @param {Schema} schema @param {Record<string, any>} state @param {Record<string, any>} [base] */
export function stateEntries(schema, state, base = defaults(schema)) {
  /** @type {[string, string][]} */
  const entries = [];
  for (const [name, s] of Object.entries(schema)) {
    const text = formatValue(s, state[name]);
    if (text !== formatValue(s, base[name])) entries.push([name, text]);
  }
  return entries;
}

/** The query string of [name, text] pairs, '?…' or '' when there are none: a list's commas left
 * as they are (n=3&h=0.5,0.8), as links write them. @param {[string, string][]} entries */
export function queryOf(entries) {
  const text = new URLSearchParams(entries).toString().replaceAll('%2C', ',');
  return text ? `?${text}` : '';
}

/** Clamps v into setting s's range and onto its step (for controls and dragging).
 * @param {Setting} s @param {number} v */
export function clampTo(s, v) {
  const min = /** @type {number} */ (s.min), max = /** @type {number} */ (s.max);
  const step = s.step ?? (s.type === 'int' ? 1 : 0);
  let x = Math.min(max, Math.max(min, v));
  if (step) x = Math.round((x - min) / step) * step + min;
  return Number(Math.min(max, Math.max(min, x)).toFixed(6));
}
