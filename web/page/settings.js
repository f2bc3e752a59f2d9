// settings.js — the form of a run's settings on the page: its fields filled from the state (the
// choices the core's names, 'auto' where the core decides), every field checked as the reader
// types (by params.js, with the core's reasons beside the field), a preset that fills them all,
// and the link kept in step. Not here: what the settings are or how a link reads (params.js), the
// buttons that start a run (app.js).
import { PRESETS, SETTINGS, checkSetting, choices, formatSetting, presetConfig } from './params.js';

const $ = (id) => document.getElementById(id);

// 'auto': the CLI's rule, applied by the core (README: quadratic and N(0, 1) for sizes; for a layer
// string the cost its output goes with and N(0, 1/n_in))
const AUTO = { cost: 'auto (from the network)', init: 'auto (from the network)' };

/**
 * The form for `state` (params.js's) and a loaded core. phase() says whether a run is going;
 * changed() is called after every good change (the link is to be saved; eta and the epochs
 * reach a run in progress). Returns { read(), show() }: read() checks every field, marks the bad
 * ones and returns true if all are good; show() puts state.config back into the fields.
 */
export function createSettingsForm(state, core, { phase, changed }) {
  const select = $('preset');
  for (const [name, preset] of Object.entries(PRESETS)) select.add(new Option(preset.label, name));
  select.value = state.preset;
  for (const name of ['cost', 'hidden', 'init', 'schedule'])
    for (const value of choices(name, core)) $(name).add(new Option(value === 'auto' ? AUTO[name] : value, value));

  const show = () => {
    for (const name of SETTINGS) $(name).value = formatSetting(name, state.config[name]);
  };

  function read() {
    let good = true;
    for (const name of SETTINGS) {
      const { value, error } = checkSetting(name, $(name).value, core);
      $(name).setAttribute('aria-invalid', error ? 'true' : 'false');
      $(`${name}-error`).textContent = error ?? '';
      if (error) good = false;
      else state.config[name] = value;
    }
    $('sizes').disabled = phase() === 'running' || $('layers').value.trim() !== '';
    return good;
  }

  select.addEventListener('change', () => {
    state.preset = select.value;
    state.config = presetConfig(state.preset);
    show();
    read();
    changed();
  });
  $('settings').addEventListener('input', (e) => {
    if (e.target.id === 'preset' || !read()) return;
    changed();
  });
  $('settings').addEventListener('submit', (e) => e.preventDefault());

  show();
  read();
  return { read, show };
}
