import type { TakeDto } from '../../../api/schemas/project';
import { Modal } from '../shell/Modal';
import { shortenPath } from '../format';

export type DeleteTakeChoice = 'keep' | 'trash' | null;

/**
 * Asks before a take goes: keep its rendered files (undoable), or move them to the OS trash
 * (the engine deletes them, and says so, where the system has no trash).
 */
export function DeleteTakeDialog({ take, onDone }: { take: TakeDto; onDone: (c: DeleteTakeChoice) => void }) {
  return (
    <Modal
      title={`Delete ${take.label}?`}
      label="Delete take"
      onClose={() => onDone(null)}
      footer={
        <>
          <button onClick={() => onDone(null)}>Cancel</button>
          <span className="spacer" />
          <button className="danger" onClick={() => onDone('trash')}>
            Delete take, move files to Trash
          </button>
          <button className="primary" onClick={() => onDone('keep')}>
            Delete take, keep files
          </button>
        </>
      }
    >
      <p>The clip goes back to the original if this take is showing. Keeping the files lets Undo bring the take back; files moved to the Trash can be put back from there.</p>
      <p className="muted">
        Files: {shortenPath(take.path, 60)}
        {take.mattePath && <>, {shortenPath(take.mattePath, 60)}</>}
      </p>
    </Modal>
  );
}
