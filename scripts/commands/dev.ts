/** `jxmb dev`: not built yet. */
import { defineCommand, UsageError } from '../_command.ts';

export default defineCommand({
  meta: { name: 'dev', description: '尚未实现 not implemented yet' },
  args: {},
  async run() {
    throw new UsageError('jxmb dev 尚未实现 is not implemented yet');
  },
});
