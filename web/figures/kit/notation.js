// notation.js — the book's notation, written once for every figure: sub- and superscript digits
// (w²₁₂, a¹, b₃) and the book's layer numbers (the input is layer 1, so a network of L layers has
// weights w², …, w^L). Not here: what the numbers are (the core's).

const SUB = '₀₁₂₃₄₅₆₇₈₉', SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** n in subscript digits: sub(12) = '₁₂'. */
export const sub = (n) => String(n).split('').map((d) => SUB[d] ?? d).join('');
/** n in superscript digits: sup(3) = '³'. */
export const sup = (n) => String(n).split('').map((d) => SUP[d] ?? d).join('');
/** A number as a figure writes it beside a neuron: at most 3 significant digits, no trailing zeros. */
export const short = (v) => String(Number(Number(v).toPrecision(3)));
