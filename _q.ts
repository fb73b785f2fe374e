import { openDataset } from '/work/main/src/dataset/open.ts';

const ds = await openDataset(process.argv[2] ?? '/tmp/exp/default');
const q = async (s: string) => console.table(await ds.query(s));
for (const s of process.argv.slice(3)) await q(s);
ds.close();
