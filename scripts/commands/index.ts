/** `jxmb index`: not built yet. */
import { defineCommand, UsageError } from '../_command.ts';

export default defineCommand({
  meta: { name: 'index', description: '尚未实现 not implemented yet' },
  args: {},
  async run() {
    throw new UsageError('jxmb index 尚未实现 is not implemented yet');
  },
});
