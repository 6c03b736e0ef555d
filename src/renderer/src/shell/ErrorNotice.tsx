/** An error inside a panel or dialog: what went wrong in one line, what to do in another. Nothing when there is none. */
export function ErrorNotice({ error, testId }: { error: { message: string; hint?: string } | null; testId: string }) {
  if (!error) return null;
  return (
    <div className="notice warn" role="alert" data-testid={testId}>
      <strong>{error.message}</strong>
      {error.hint && <p>{error.hint}</p>}
    </div>
  );
}
