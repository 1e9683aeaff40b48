/**
 * The state of a button that calls a mutation: `busy` while it runs, `message` (progress, then
 * what happened) for a polite live region, `failure` (the error in plain words) for an alert.
 * `act(work, doing)` runs `work`; `work` sets `message.value` to say what it did.
 */
import { ref, type Ref } from 'vue';
import { GraphQLRequestError } from '../../api/graphql-client';
import { describeError } from './describe-error';

export interface ActionState {
  readonly busy: Ref<boolean>;
  readonly message: Ref<string>;
  readonly failure: Ref<string>;
  act(work: () => Promise<void>, doing: string): Promise<void>;
}

export function useAction(): ActionState {
  const busy = ref(false);
  const message = ref('');
  const failure = ref('');
  async function act(work: () => Promise<void>, doing: string): Promise<void> {
    busy.value = true;
    failure.value = '';
    message.value = doing;
    try {
      await work();
    } catch (cause) {
      message.value = '';
      const described = describeError(cause instanceof GraphQLRequestError ? cause : String(cause));
      failure.value = `${described.title}: ${described.message}`;
    } finally {
      busy.value = false;
    }
  }
  return { busy, message, failure, act };
}
