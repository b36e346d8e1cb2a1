/** Example inputs the applications ship with, so each can be tried at once. */

export const EXAMPLE_LINES = [
  'The cat sat on the mat.',
  'A kitten is sleeping on the rug.',
  'Dogs love to play fetch in the park.',
  'My puppy chewed my shoes again.',
  'The stock market fell sharply today.',
  'Investors worry about rising interest rates.',
  'The central bank raised rates by half a point.',
  'Shares of tech companies dropped after the report.',
  'She baked a chocolate cake for the party.',
  'This pasta recipe needs fresh basil and garlic.',
  'Add the flour slowly and stir until smooth.',
  'The soup tastes better with a pinch of salt.',
  'The team won the championship in overtime.',
  'He scored two goals in the final match.',
  'The coach praised the defense after the game.',
  'Fans celebrated in the streets all night.',
];

/** Labelled reviews for few-shot sentiment (positive / negative), and reviews to classify. */
export const EXAMPLE_REVIEWS = [
  'positive: An absolute delight from start to finish.',
  'positive: The acting was superb and the story moved me.',
  'positive: I loved every minute of it and would watch it again.',
  'positive: A warm, funny and beautifully shot film.',
  'positive: Great food, friendly staff, and fair prices.',
  'negative: A boring, predictable mess of a movie.',
  'negative: The plot made no sense and the dialogue was awful.',
  'negative: I walked out halfway through; a total waste of money.',
  'negative: Cold food, rude service, and we waited an hour.',
  'negative: Dull characters and far too long.',
].join('\n');

export const EXAMPLE_TO_CLASSIFY = [
  'One of the best films I have seen this year.',
  'Terrible. I want my two hours back.',
  'The service was slow and the soup was cold.',
  'Charming, clever and full of heart.',
].join('\n');

/** Sentences with people (PER), places (LOC) and organisations (ORG) marked, for few-shot token tagging. */
export const EXAMPLE_ENTITIES = [
  '[Marie Curie](PER) moved from [Warsaw](LOC) to [Paris](LOC) to study physics.',
  '[Google](ORG) opened a new office in [Zurich](LOC) last spring.',
  '[Nelson Mandela](PER) was born in a small village in [South Africa](LOC).',
  'The [United Nations](ORG) met in [Geneva](LOC) to discuss the treaty.',
  '[Ada Lovelace](PER) wrote notes on a machine designed by [Charles Babbage](PER).',
  '[Toyota](ORG) builds cars in [Japan](LOC) and [Canada](LOC).',
  'Our trip took us from [Lisbon](LOC) along the coast to [Porto](LOC).',
  '[Albert Einstein](PER) worked at a patent office in [Bern](LOC).',
  'Shares of [Microsoft](ORG) and [Apple](ORG) rose on Monday.',
  '[Frida Kahlo](PER) painted in her blue house in [Mexico City](LOC).',
  'The [Red Cross](ORG) sent doctors to the flooded towns.',
  'We had dinner with [Sofia](PER) at a cafe near the river.',
].join('\n');

/** A text to tag with the entity examples. */
export const EXAMPLE_TO_TAG = 'Angela Merkel visited Microsoft in Seattle before flying to Berlin.';
