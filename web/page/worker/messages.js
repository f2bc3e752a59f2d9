// @ts-check
// messages.js — every message between the page (app.js, boot.js) and its Worker (worker.js), as
// types: what each carries. Types only (JSDoc, checked by tsc); nothing runs. The messages every
// Worker shares (init, pause, resume; ready, paused, error) are worker-loop.js's.

/**
 * The settings of a run (params.js spells them as the core does).
 * @typedef {{
 *   sizes: number[], layers: string, cost: string, hidden: string, init: string,
 *   eta: number, mini_batch_size: number, epochs: number, seed: number,
 *   lmbda: number, l1: number, mu: number, dropout: number, expand: number,
 *   rotate: number, shift: number, shear: number, elastic: number,
 *   schedule: string, patience: number,
 * }} RunConfig
 * A first convolutional layer's weights (Network.filters), or null.
 * @typedef {{ maps: number, inputs: number, rows: number, cols: number, weights: Float32Array, biases: Float32Array } | null} Filters
 */

/**
 * In: what the page sends.
 * @typedef {import('../../lib/worker-loop.js').InitMessage} Init            the core; ready follows
 * @typedef {{ type: 'pretrained', base: string, model?: ArrayBuffer, about?: { bytes: number, test_correct: number, test_count: number, unsure_below?: number }, failed?: string }} Pretrained
 *   the shipped network and pretrained.json (boot.js fetches them), or why they could not be
 * @typedef {{ type: 'load', key: string }} Load     MNIST, for a view that trains; key: where it keeps its run
 * @typedef {{ type: 'start', config: RunConfig }} Start
 * @typedef {{ type: 'continue' }} Continue         the kept run goes on
 * @typedef {{ type: 'forget' }} Forget             the kept run is deleted
 * @typedef {{ type: 'reset' }} Reset               answered by reset once the kept run is gone
 * @typedef {{ type: 'set', eta?: number, epochs?: number }} Set
 * @typedef {{ type: 'classify', drawing: number, pixels: Float32Array }} Classify  drawing: the pad's count
 * @typedef {{ type: 'teach', drawing: number, pixels: Float32Array, label: number }} Teach
 * @typedef {{ type: 'drawings' } | { type: 'forgetDrawings' } | { type: 'untaught' }} Drawings
 * @typedef {{ type: 'save', format: 'nndl' | 'json' }} Save
 * @typedef {{ type: 'open', bytes: Uint8Array, name: string }} Open
 * @typedef {{ type: 'helper', ask: number, failed?: string }} Helper  the page started the helper Worker asked for, or why not (threads.js)
 * @typedef {Init | Pretrained | Load | Start | Continue | Forget | Reset | Set | Classify | Teach | Drawings | Save | Open | Helper
 *   | import('../../lib/worker-loop.js').PauseMessage | import('../../lib/worker-loop.js').ResumeMessage} PageIn
 */

/**
 * Out: what the Worker says.
 * @typedef {{ type: 'ready', pretrained: string, filters: Filters, memory: number, urls: string[] }} Ready  the pad works
 * @typedef {{ type: 'kept', description: string, epoch: number, epochs: number, x: number, savedAt: number, config: RunConfig, state: string }} Kept
 * @typedef {{ type: 'loading', loaded: number, total: number, stage: string }} Loading
 * @typedef {{ type: 'data', counts: object, memory: number, urls: string[] }} Data  Start can go
 * @typedef {{ type: 'started', sizes: number[], description: string, examples: number, filters: Filters, resumed?: boolean, config?: RunConfig, threads: { count: number, why: string } }} Started
 * @typedef {{ type: 'progress', epoch: number, epochs: number, done: number, total: number, examplesPerSecond: number, trainedMs: number }} Progress
 * @typedef {{ type: 'point', x: number, cost: number | null, speeds: number[], subsetAccuracy: number, filters?: Filters }} Point
 * @typedef {{ type: 'epoch', epoch: number, x: number, validation: number, test: number, trainingAccuracy: number, trainingCost: number, validationCost: number,
 *   misclassified: { index: number, predicted: number, label: number, pixels: Uint8Array }[] }} Epoch
 * @typedef {{ type: 'schedule', action: string, eta: number }} Schedule
 * @typedef {{ type: 'done', reason: string | null }} Done
 * @typedef {{ type: 'reset' }} ResetDone
 * @typedef {{ type: 'stored', x: number }} Stored  the run is kept as it was at epoch x
 * @typedef {{ type: 'diverged', message: string, code: number }} Diverged
 * @typedef {{ type: 'classification', drawing: number, digit: number, activations: Float32Array, network: string, unsureBelow: number | null }} Classification
 * @typedef {{ type: 'saved', format: string, data: Uint8Array | string, name: string }} Saved
 * @typedef {{ type: 'taught', rounds: number, kept: number | null, label: number, taught: boolean }} Taught
 * @typedef {{ type: 'drawings', items: { pixels: Uint8Array, label: number }[], forgotten?: boolean }} DrawingsOut
 * @typedef {{ type: 'untaught', label: string }} Untaught
 * @typedef {{ type: 'opened', label: string, filters: Filters }} Opened
 * @typedef {{ type: 'helper', ask: number, port: MessagePort }} HelperAsked  the page starts a helper Worker on port and answers
 * @typedef {Ready | Kept | Loading | Data | Started | Progress | Point | Epoch | Schedule | Done | ResetDone | Stored | Diverged
 *   | Classification | Saved | Taught | DrawingsOut | Untaught | Opened | HelperAsked
 *   | import('../../lib/worker-loop.js').PausedReply | import('../../lib/worker-loop.js').ErrorReply} PageOut
 */

export {};
