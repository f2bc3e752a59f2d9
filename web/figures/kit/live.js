// live.js — one figure brought to life in a container, wherever it is shown: its module and the
// WebAssembly core awaited together, its settings read (notes for malformed ones, as a link's
// are), the figure mounted, and one render loop (one render at a time, the latest state). Its
// two users say what a change and a result mean to them: the figures page (frame.js: the URL,
// the embedding protocol) and the <nndl-figure> element (element.js: its events). Not here: any
// chrome around the figure, where settings come from, any figure's content (../<id>.js).
import { loadCore } from '../../lib/nndl.js';
import { parseState } from '../../shared/url-state.js';

const nextTask = () => new Promise((resolve) => setTimeout(resolve));

/**
 * Starts figure `entry` (registry.js) in `container` (a section the caller made) and resolves to
 * { state, schema, set, apply, data } — or to null when it could not start (said in notes()).
 *   entries   its settings as [name, text] pairs (a link's query, an element's attributes)
 *   reserved  names among them that are not the figure's (read by the caller)
 *   compiled  the core's WebAssembly.Module (a promise); imported: the figure's module (one)
 *   worker    the figure's Worker client, if it has one; embed: shown without the chrome
 *   notes(list, heading?)  shows notes to the reader (an empty list hides them)
 *   changed() after each change of settings; result(value) when the figure's result changes
 *   counter   the element whose data-renders counts finished renders (for tests)
 */
export async function startFigure({ entry, container, entries, reserved = [], compiled, imported, worker = null, embed = false, notes, changed = () => {}, result = () => {}, counter = null }) {
  let module;
  try {
    [module] = await Promise.all([imported ?? import(`../${entry.id}.js`), compiled.then((wasm) => loadCore({ wasm }))]);
  } catch (e) {
    notes([e.message], 'The figure could not start:');
    return null;
  }
  const { schema, fix } = module;
  const parsed = parseState(schema, entries, { reserved, fix });
  const state = parsed.state;
  notes(parsed.notes);

  let lastResult = null;
  const handResult = (value) => {
    const said = JSON.stringify(value);
    if (said === lastResult) return;
    lastResult = said;
    result(value);
  };

  let view, running = null, again = false;
  const render = async () => {
    if (running) { again = true; return running; }
    running = (async () => {
      do {
        again = false;
        await view.render(state);
      } while (again);
    })();
    try { await running; } finally {
      running = null;
      if (counter) counter.dataset.renders = String(Number(counter.dataset.renders ?? 0) + 1);
    }
  };
  /** Changes settings (from a control, a drag, a button): the figure at once, then changed(). */
  const set = (changes) => {
    Object.assign(state, changes);
    fix?.(state, []);
    const drawn = render();
    changed();
    return drawn;
  };
  /** Settings given as a link gives them ([name, text] pairs), read from the state now: resolves
   * to the notes on those not used (the malformed keep their value). */
  const apply = async (given) => {
    const { state: next, notes: said } = parseState(schema, given, { base: state, fix });
    await set(next);
    return said;
  };
  try {
    // the controls and the first picture each in a task of their own: a page's first layout and
    // a figure's first paint would make one long task together
    await nextTask();
    view = await module.mount(container, { state, set, schema, embed, wasm: await compiled, worker, result: handResult });
    await nextTask();
    await render();
  } catch (e) {
    notes([e.message], 'The figure could not start:');
    throw e;
  }
  return { state, schema, set, apply, data: () => view.data?.() };
}

/** The figure's settings now, as { name: value } in its schema's order. */
export const snapshot = (schema, state) => Object.fromEntries(Object.keys(schema).map((name) => [name, state[name]]));
