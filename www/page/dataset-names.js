// What the page says about each data set: its title, class names and the
// words for one of its images, so no text says "digit" over Fashion-MNIST.

export const DATASETS = {
  mnist: {
    title: 'MNIST',
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    item: 'digit',
    items: 'digits',
    made: 'as MNIST’s digits were prepared',
  },
  fashion: {
    title: 'Fashion-MNIST',
    classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    item: 'garment',
    items: 'garments',
    made: 'as Fashion-MNIST’s product photos were prepared',
  },
};

DATASETS.mnist_binary = { ...DATASETS.mnist, title: 'MNIST, black and white' };

export const datasetOf = (name) => DATASETS[name] ?? DATASETS.mnist;
