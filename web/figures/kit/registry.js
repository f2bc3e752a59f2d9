// registry.js — the list of figures, each named once: its id (the `figure` of the URL and the
// name of its module, ./<id>.js), the book's chapter, its title and a one-line description, and
// the site's data files it downloads as it opens (`loads`) or when the reader runs it (`onRun`),
// and the training thread it talks to from its first picture on (`worker`: started with the page,
// beside the figure's own modules, so that its scripts load while they do).
// The gallery lists these; the frame loads one. Not here: a figure's settings (its module).

export const FIGURES = [
  { id: 'perceptron', chapter: 1, title: 'Perceptron versus sigmoid neuron', summary: 'The same inputs, weights and bias: sweep a weight and the perceptron’s output flips, the sigmoid neuron’s changes a little.' },
  { id: 'descent', chapter: 1, title: 'Gradient descent: a ball in a valley', summary: 'The path of Δv = −η∇C over a bowl, a narrow valley or a saddle, from where you click: it converges, oscillates or diverges.' },
  { id: 'noise', chapter: 1, title: 'Mini-batch noise', summary: 'The angle between a random mini-batch’s gradient and the whole training set’s, for 1 to 1,000 examples: why SGD works.', onRun: ['mnist/train.png', 'mnist/train-labels.idx'] },
  { id: 'backprop', chapter: 2, title: 'Backpropagation step by step', summary: 'A [2, 3, 2] network and one example: z, a and δ of every neuron, BP1 to BP4 with the numbers filled in, and a check by finite differences.' },
  { id: 'slowdown', chapter: 3, title: 'The learning slowdown', summary: 'One neuron learns to output 0 from a saturated start: slowly with the quadratic cost, at once with the cross-entropy.', worker: 'train-worker.js' },
  { id: 'softmax', chapter: 3, title: 'Softmax', summary: 'Slide the weighted inputs z₁..z₄: the output activations move together and always sum to 1; the log-likelihood cost of the right answer.' },
  { id: 'init', chapter: 3, title: 'Weight initialisation', summary: 'The weighted inputs of hidden neurons with N(0, 1) weights against N(0, 1/n_in): a broad Gaussian that saturates them, a narrow one that does not.' },
  { id: 'unstable', chapter: 5, title: 'The unstable gradient', summary: 'A chain of four neurons: ∂C/∂b₁ term by term from backpropagation, vanishing with N(0, 1) weights and exploding with w = 100.' },
  { id: 'overfitting', chapter: 3, title: 'Overfitting and regularisation', summary: '[784, 30, 10] on 1,000 images for 400 epochs: the training cost keeps falling while test accuracy stalls near 82%; L2 regularisation goes on.', onRun: ['mnist/train-1000.png', 'mnist/train-1000-labels.idx', 'mnist/test.png', 'mnist/test-labels.idx'] },
  { id: 'step', chapter: 4, title: 'One neuron becomes a step', summary: 'σ(wx + b) for a weight and bias you choose: as w grows, the curve becomes a step at s = −b/w.' },
  { id: 'two-neurons', chapter: 4, title: 'Two hidden neurons and the weighted output', summary: 'Steps at s₁ and s₂ with output weights w₁ and w₂, and their weighted sum w₁a₁ + w₂a₂.' },
  { id: 'bumps', chapter: 4, title: 'Bumps from pairs of steps', summary: 'A pair of steps with output weights h and −h makes a bump; pairs side by side make a bar chart of bumps.' },
  { id: 'by-hand', chapter: 4, title: 'Approximate a function by hand', summary: 'Drag the bumps to make the network’s output follow the book’s goal function f, with the average deviation live.' },
  { id: 'two-inputs', chapter: 4, title: 'Many input variables: towers', summary: 'Steps in x and in y make a tower over the plane; many towers approximate a function of two variables.' },
  { id: 'beyond-sigmoids', chapter: 4, title: 'Beyond sigmoids, and fixing the steps', summary: 'The same construction with tanh and ReLU neurons, sums of hinges, and the book’s fix for the windows of failure.' },
  { id: 'learn-f', chapter: 4, title: 'Let the core learn it', summary: 'A [1, N, 1] network trained by SGD on samples of f, or of a function you draw: does learning find steps?', worker: 'learn-worker.js' },
  { id: 'convolution', chapter: 6, title: 'A convolution step by step', summary: 'A 5 × 5 receptive field slides over a digit: each position’s weighted sum fills the feature map, then 2 × 2 max-pooling.', loads: ['mnist/digits.png', 'mnist/digits-labels.idx'] },
  { id: 'layers', chapter: 6, title: 'What each layer sees', summary: 'Draw a digit (or pick one of MNIST’s): every feature map of the shipped convolutional network, its fully connected layer and its answer, live.', loads: ['pretrained.nndl', 'mnist/digits.png', 'mnist/digits-labels.idx'] },
];

export const figureById = (id) => FIGURES.find((f) => f.id === id);
