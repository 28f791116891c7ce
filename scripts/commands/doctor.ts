/** `jxmb doctor`: not built yet. */
import { defineCommand, UsageError } from '../_command.ts';

export default defineCommand({
  meta: { name: 'doctor', description: '尚未实现 not implemented yet' },
  args: {},
  async run() {
    throw new UsageError('jxmb doctor 尚未实现 is not implemented yet');
  },
});
