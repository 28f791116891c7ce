/** `jxmb bench`: not built yet. */
import { defineCommand, UsageError } from '../_command.ts';

export default defineCommand({
  meta: { name: 'bench', description: '尚未实现 not implemented yet' },
  args: {},
  async run() {
    throw new UsageError('jxmb bench 尚未实现 is not implemented yet');
  },
});
