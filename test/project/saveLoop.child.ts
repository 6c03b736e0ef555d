// Child process for crashSafety.test.ts: opens the seed project and saves it to the target path
// over and over, renaming it each time so every save writes different content, until killed.
// Prints "saving N" before and "saved N" after each save, so the parent knows what must survive.
import { loadProject, saveProject } from '../../src/engine/project';

const [seed, target, run] = process.argv.slice(2);
const { project } = await loadProject(seed);
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  project.rename(`run ${run} save ${i}`);
  process.stdout.write(`saving ${i}\n`);
  await saveProject(project, target);
  process.stdout.write(`saved ${i}\n`);
}
