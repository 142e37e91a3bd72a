import { orgLabel, type OrgMembership } from '@voyce/api-client';
import { Pressable, ScrollView, Text, View } from 'react-native';
import { colors } from './kit';

/** Which organisation the recording goes into: a row of choices (a radio group for screen readers), personal first. */
export function OrgPicker({ items, value, onChange }: { items: OrgMembership[]; value: string | undefined; onChange: (orgId: string) => void }) {
  return (
    <View style={{ gap: 6 }}>
      <Text style={{ color: colors.text, fontWeight: '600' }}>Organisation</Text>
      <ScrollView horizontal accessibilityRole="radiogroup" accessibilityLabel="Organisation" contentContainerStyle={{ gap: 8 }}>
        {items.map(({ org }) => {
          const selected = org.id === value;
          return (
            <Pressable
              key={org.id}
              accessibilityRole="radio"
              accessibilityState={{ checked: selected }}
              aria-checked={selected} // react-native-web renders this one, not accessibilityState
              accessibilityLabel={orgLabel(org)}
              onPress={() => onChange(org.id)}
              style={{ paddingVertical: 6, paddingHorizontal: 12, borderRadius: 16, borderWidth: 1, borderColor: colors.brand, backgroundColor: selected ? colors.brand : 'transparent' }}
            >
              <Text style={{ color: selected ? '#fff' : colors.brand }}>{orgLabel(org)}</Text>
            </Pressable>
          );
        })}
      </ScrollView>
    </View>
  );
}
