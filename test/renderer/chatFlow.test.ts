import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium } from './browser';
import { startEditorSession, type EditorSession } from './editorSession';

/*
 * The chat panel in Chromium over the bridge (no language model: Lite's grammar reads the
 * request), with screenshots under .tmp/screens/: ask about two-birds in words, see the answer and
 * the instruction, edit nothing, confirm, get the take; follow up on that take; "undo that".
 */
const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');

let s: EditorSession;
beforeAll(async () => {
  s = await startEditorSession('lacuna-chat-ui-');
}, 180_000);
afterAll(async () => {
  await s?.close();
});

describe.runIf(haveChromium)('chat panel in Chromium', () => {
  it('asks in words, shows the answer and the instruction, and renders only on confirm', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import media' });
    await dialog.locator('textarea').fill(TWO_BIRDS);
    await dialog.getByLabel('Image sequence frame rate').selectOption({ label: '25 fps' });
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByTestId('media-item').count()).toBe(1);
    await page.getByTestId('media-item').first().getByRole('button', { name: 'Add to sequence' }).click();
    const prompt = page.getByRole('dialog', { name: 'Sequence settings' });
    await prompt.getByRole('button', { name: 'Use clip settings' }).click();
    await expect.poll(() => page.getByTestId('clip').count()).toBe(1);
    await page.getByTestId('clip').first().click();

    const chat = page.getByRole('region', { name: 'Chat' });
    await chat.getByLabel('Message').fill('I love this shot, but the bird on the left distracts. Could you take it out?');
    await chat.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => chat.getByTestId('chat-assistant').count()).toBe(1);
    expect(await chat.getByTestId('chat-assistant').textContent()).toBe("I'll remove the bird on the left.");
    expect(await chat.getByLabel('Removal instruction').inputValue()).toBe('take the bird on the left out');
    await s.shot('chat-01-answer');
    // Nothing renders before the user confirms.
    expect(await page.getByTestId('job').count()).toBe(0);

    await chat.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.getByTestId('take').count(), { timeout: 180_000, interval: 500 }).toBe(2);
    await expect.poll(() => chat.getByTestId('chat-assistant').count()).toBe(1);
    expect(await chat.getByTestId('chat-confirm').count()).toBe(0);
    expect(s.errors).toEqual([]);
    await s.shot('chat-02-take');
  }, 240_000);

  it('follows up on the new take, and "undo that" goes back to the original', async () => {
    const { page } = s;
    const chat = page.getByRole('region', { name: 'Chat' });
    await chat.getByLabel('Message').fill('now remove the other one too');
    await chat.getByLabel('Message').press('Enter');
    await expect.poll(() => chat.getByTestId('chat-assistant').count()).toBe(2);
    expect(await chat.getByLabel('Removal instruction').inputValue()).toBe('remove the other bird too');
    await s.shot('chat-03-follow-up');

    await chat.getByLabel('Message').fill('undo that');
    await chat.getByLabel('Message').press('Enter');
    await expect.poll(() => page.locator('[data-testid="take"].active .take-label').textContent()).toBe('Original');
    // The original has no conversation of its own; the undo turn continues it.
    await expect.poll(() => chat.getByTestId('chat-assistant').last().textContent()).toMatch(/Undoing the last removal/);
    await s.shot('chat-04-undo');
    expect(s.errors).toEqual([]);
  });
});
