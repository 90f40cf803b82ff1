/**
 * What the report calls the label a code carries, in the dataset's own words: "the class (slow,
 * medium or fast)" for a dataset with class names, "the class" for one without. The report never
 * assumes the labels are digits.
 */

/** Names listed in full up to this many; longer lists show their ends. */
const LISTED = 5;

export function classWording(classes: readonly string[] | undefined): string {
  if (!classes?.length) return 'the class';
  if (classes.length === 1) return `the class (${classes[0]})`;
  const shown = classes.length <= LISTED ? classes.slice(0, -1) : [...classes.slice(0, 3), '…'];
  return `the class (${shown.join(', ')} or ${classes.at(-1)})`;
}

/** A label as the dataset names it: "3 (three)", or the index alone without names. */
export function className(label: number, classes: readonly string[] | undefined): string {
  const name = classes?.[label];
  return name === undefined ? String(label) : `${label} (${name})`;
}
