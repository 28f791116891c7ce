/** `jxmb import`: not built yet. */
import { defineCommand, UsageError } from '../_command.ts';

export default defineCommand({
  meta: { name: 'import', description: '尚未实现 not implemented yet' },
  args: {},
  async run() {
    throw new UsageError('jxmb import 尚未实现 is not implemented yet');
  },
});
