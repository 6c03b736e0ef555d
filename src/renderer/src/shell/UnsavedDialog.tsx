import { Modal } from './Modal';

export type UnsavedChoice = 'save' | 'discard' | 'cancel';

/** "Save changes before …?" with the three answers every editor offers. */
export function UnsavedDialog({ projectName, action, onDone }: { projectName: string; action: string; onDone: (c: UnsavedChoice) => void }) {
  return (
    <Modal
      title="Unsaved changes"
      onClose={() => onDone('cancel')}
      footer={
        <>
          <button onClick={() => onDone('discard')}>Don’t save</button>
          <span className="spacer" />
          <button onClick={() => onDone('cancel')}>Cancel</button>
          <button className="primary" onClick={() => onDone('save')}>
            Save
          </button>
        </>
      }
    >
      <p>
        Save changes to <strong>{projectName}</strong> before {action}?
      </p>
    </Modal>
  );
}
