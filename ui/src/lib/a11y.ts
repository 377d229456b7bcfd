/** The aria-describedby value for a Field's control: its error, else its help. */
export function describedBy(id: string, error: string, help = ''): string | undefined {
  if (error) return `${id}-error`;
  if (help) return `${id}-help`;
  return undefined;
}
