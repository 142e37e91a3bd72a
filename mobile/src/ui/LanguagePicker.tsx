import { LANGUAGES, languageName } from '@voyce/api-client';
import { Pressable, ScrollView, Text, View } from 'react-native';
import { colors } from './kit';

/** The recording's language: "Detect" or one language, as a row of choices (a radio group for screen readers). */
export function LanguagePicker({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const options = [{ code: '', label: 'Detect' }, ...LANGUAGES.map((code) => ({ code, label: languageName(code) }))];
  return (
    <View style={{ gap: 6 }}>
      <Text style={{ color: colors.text, fontWeight: '600' }}>Language</Text>
      <ScrollView horizontal accessibilityRole="radiogroup" accessibilityLabel="Language" contentContainerStyle={{ gap: 8 }}>
        {options.map((o) => {
          const selected = o.code === value;
          return (
            <Pressable
              key={o.code || 'detect'}
              accessibilityRole="radio"
              accessibilityState={{ checked: selected }}
              accessibilityLabel={o.code ? o.label : 'Detect the language'}
              onPress={() => onChange(o.code)}
              style={{ paddingVertical: 6, paddingHorizontal: 12, borderRadius: 16, borderWidth: 1, borderColor: colors.brand, backgroundColor: selected ? colors.brand : 'transparent' }}
            >
              <Text style={{ color: selected ? '#fff' : colors.brand }}>{o.label}</Text>
            </Pressable>
          );
        })}
      </ScrollView>
    </View>
  );
}
