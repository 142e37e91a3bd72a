import type { ReactNode } from 'react';
import { ActivityIndicator, Pressable, StyleSheet, Text, TextInput, View, type TextInputProps } from 'react-native';

export const colors = {
  brand: '#3b2f8f',
  brandLight: '#ece9fb',
  text: '#1d1b26',
  muted: '#6b6880',
  danger: '#b3261e',
  ok: '#1b7f3b',
  border: '#d9d6e6',
  bg: '#f7f6fb',
};

export function Screen({ title, children, right }: { title: string; children: ReactNode; right?: ReactNode }) {
  return (
    <View style={styles.screen}>
      <View style={styles.header}>
        <Text accessibilityRole="header" style={styles.title}>
          {title}
        </Text>
        {right}
      </View>
      {children}
    </View>
  );
}

export function Button({ label, onPress, kind = 'primary', disabled, busy, testID }: { label: string; onPress: () => void; kind?: 'primary' | 'secondary' | 'danger'; disabled?: boolean; busy?: boolean; testID?: string }) {
  const style = kind === 'primary' ? styles.primary : kind === 'danger' ? styles.danger : styles.secondary;
  return (
    <Pressable accessibilityRole="button" accessibilityLabel={label} accessibilityState={{ disabled: !!disabled || !!busy }} testID={testID} disabled={disabled || busy} onPress={onPress} style={[styles.button, style, (disabled || busy) && styles.disabled]}>
      {busy ? <ActivityIndicator color={kind === 'secondary' ? colors.brand : '#fff'} /> : <Text style={[styles.buttonText, kind === 'secondary' && { color: colors.brand }]}>{label}</Text>}
    </Pressable>
  );
}

export function Field({ label, ...props }: { label: string } & TextInputProps) {
  return (
    <View style={styles.field}>
      <Text style={styles.label}>{label}</Text>
      <TextInput accessibilityLabel={label} style={styles.input} placeholderTextColor={colors.muted} autoCapitalize="none" {...props} />
    </View>
  );
}

export function ErrorText({ children }: { children: ReactNode }) {
  return children ? (
    <Text accessibilityRole="alert" style={styles.error}>
      {children}
    </Text>
  ) : null;
}

export function Muted({ children }: { children: ReactNode }) {
  return <Text style={styles.muted}>{children}</Text>;
}

export const styles = StyleSheet.create({
  screen: { flex: 1, backgroundColor: colors.bg, padding: 16, gap: 12 },
  header: { flexDirection: 'row', alignItems: 'center', justifyContent: 'space-between' },
  title: { fontSize: 24, fontWeight: '700', color: colors.text },
  button: { borderRadius: 10, paddingVertical: 12, paddingHorizontal: 16, alignItems: 'center', justifyContent: 'center' },
  primary: { backgroundColor: colors.brand },
  secondary: { backgroundColor: colors.brandLight },
  danger: { backgroundColor: colors.danger },
  disabled: { opacity: 0.5 },
  buttonText: { color: '#fff', fontWeight: '600', fontSize: 16 },
  field: { gap: 4 },
  label: { color: colors.muted, fontSize: 13 },
  input: { borderWidth: 1, borderColor: colors.border, borderRadius: 8, padding: 10, fontSize: 16, backgroundColor: '#fff', color: colors.text },
  error: { color: colors.danger },
  muted: { color: colors.muted },
  card: { backgroundColor: '#fff', borderRadius: 12, padding: 12, borderWidth: 1, borderColor: colors.border, gap: 4 },
  row: { flexDirection: 'row', gap: 8, alignItems: 'center' },
});
