import { useEffect, type RefObject } from 'react';
import type { LacunaClient } from '../../../api/client';
import { useClient } from '../clientContext';
import { errorOf } from '../errorText';
import { useAppStore } from '../store/appStore';
import { useVisible } from '../timeline/useVisible';
import { farmPollMs } from './farmJobs';

/*
 * The store's copy of the render farm. The farm publishes no events to the app (its workers are
 * other machines), so the Jobs panel asks: farm.status and farm.list, one request after the other
 * finished (never overlapping, never a tight loop), at farmPollMs' pace, and only while the panel
 * is on screen and the window visible.
 */

const setFarm = (p: Partial<ReturnType<typeof useAppStore.getState>['farm']>) => useAppStore.setState((s) => ({ farm: { ...s.farm, ...p } }));

export async function refreshFarmStatus(client: LacunaClient): Promise<void> {
  try {
    setFarm({ status: await client.call('farm.status', {}) });
  } catch (e) {
    setFarm({ error: errorOf(e).message });
  }
}

export async function refreshFarm(client: LacunaClient): Promise<void> {
  await refreshFarmStatus(client);
  const status = useAppStore.getState().farm.status;
  if (!status?.configured || !status.reachable) return setFarm({ takes: [] });
  try {
    setFarm({ takes: await client.call('farm.list', {}), error: null });
  } catch (e) {
    setFarm({ error: errorOf(e).message });
  }
}

/** Polls the farm while `ref`'s element is visible; a change of project asks at once. */
export function useFarmPolling(ref: RefObject<Element | null>): void {
  const client = useClient();
  const onScreen = useVisible(ref);
  const projectId = useAppStore((s) => s.project?.id ?? null);
  useEffect(() => {
    if (!onScreen) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (document.visibilityState === 'visible') await refreshFarm(client);
      if (stopped) return;
      const { status, takes } = useAppStore.getState().farm;
      timer = setTimeout(() => void tick(), farmPollMs(status, takes));
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, onScreen, projectId]);
}
