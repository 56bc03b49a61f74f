/** Slugs of the shipped example workshops (also the room names they are served under). */
export const EXAMPLE_NAMES = [
  'example-etela-savo-fi',
  'example-etela-savo-plan-fi',
  'example-sormland-sv',
  'example-voru-et',
  'example-culture-network-en',
] as const;

/** One example's slug. */
export type ExampleName = (typeof EXAMPLE_NAMES)[number];
