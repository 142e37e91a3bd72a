/**
 * The popup's organisation picker: shown only to a person in more than one organisation, the personal one first,
 * the choice remembered per user. A remembered organisation the person has left falls back to the personal one,
 * and the popup says so. The view is an interface so the logic is tested without a DOM.
 */
import { lostOrgMessage, needsOrgPicker, orderedOrgs, orgLabel, resolveOrgChoice, type Org } from '@voyce/api-client';
import { rememberedOrg, rememberOrg, type OrgsAnswer, type StorageArea } from '../shared/orgChoice';

export interface OrgPickerView {
  /** Fills the picker (value = org id) and selects `value`. */
  setOptions(options: { value: string; label: string }[], value: string): void;
  /** Shows or hides the labelled picker. */
  show(visible: boolean): void;
  /** A sentence under the picker ('' clears it). */
  note(text: string): void;
}

export interface OrgPicker {
  /** Asks the server again (on open and after sign-in). */
  refresh(): Promise<void>;
  /** The person picked `orgId` in the view. */
  choose(orgId: string): Promise<void>;
  /** The orgId to send with the next upload; undefined when not known (signed out: the API's default). */
  current(): string | undefined;
}

export function createOrgPicker(view: OrgPickerView, load: () => Promise<OrgsAnswer | null>, storage: StorageArea): OrgPicker {
  let userId: string | null = null;
  let orgs: Org[] = [];
  let currentId: string | undefined;

  return {
    async refresh() {
      const answer = await load().catch(() => null);
      userId = answer?.userId ?? null;
      view.note('');
      if (!answer) {
        orgs = [];
        currentId = undefined;
        view.show(false);
        return;
      }
      const remembered = await rememberedOrg(storage, answer.userId);
      if (!answer.items) {
        // The server cannot say now (offline): the remembered choice stands; the server checks it on upload.
        orgs = [];
        currentId = remembered?.id;
        view.show(false);
        return;
      }
      orgs = orderedOrgs(answer.items).map((m) => m.org);
      const choice = resolveOrgChoice(answer.items, remembered);
      currentId = choice.org?.id;
      if (choice.lost !== undefined) {
        view.note(lostOrgMessage(choice.lost, choice.org));
        if (choice.org) await rememberOrg(storage, answer.userId, choice.org);
      }
      view.setOptions(orgs.map((o) => ({ value: o.id, label: orgLabel(o) })), currentId ?? '');
      view.show(needsOrgPicker(answer.items));
    },
    async choose(orgId) {
      const org = orgs.find((o) => o.id === orgId);
      if (!org || !userId) return;
      currentId = org.id;
      view.note('');
      await rememberOrg(storage, userId, org);
    },
    current: () => currentId,
  };
}

/** The DOM side: a `<select>` inside its `<label>` and a note. */
export function selectView(select: HTMLSelectElement, field: HTMLElement, note: HTMLElement): OrgPickerView {
  return {
    setOptions(options, value) {
      select.replaceChildren(...options.map((o) => new Option(o.label, o.value)));
      select.value = value;
    },
    show: (visible) => void (field.hidden = !visible),
    note(text) {
      note.textContent = text;
      note.hidden = !text;
    },
  };
}
