/** `jxmb diff`: not built yet. */
import { defineCommand, UsageError } from '../_command.ts';

export default defineCommand({
  meta: { name: 'diff', description: '尚未实现 not implemented yet' },
  args: {},
  async run() {
    throw new UsageError('jxmb diff 尚未实现 is not implemented yet');
  },
});
