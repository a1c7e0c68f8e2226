import type { StringKey } from './en';

export const ar: Record<StringKey, string> = {
  appName: 'كيوب ديسك',
  conversations: 'المحادثات',
  noConversations: 'لا توجد محادثات بعد.',
  opening: 'جارٍ فتح أرشيفك…',
  welcomeTitle: 'مرحباً بك في كيوب ديسك',
  welcomeBody:
    'كل محادثات عملائك على واتساب على هذا الجهاز: رُدّ عليها، وأرسل القوالب بعد انتهاء نافذة الـ24 ساعة، وابحث في سنوات من السجل حتى دون اتصال بالشبكة.',
  connectAccount: 'اربط حسابك في CubeConnect',
  exploreDemo: 'جرّب ببيانات تجريبية',
  connectComing: 'ربط الحساب يصل في التحديث القادم. لم يتغيّر شيء.',
  demoComing: 'البيانات التجريبية تصل في التحديث القادم. لم يتغيّر شيء.',
  coreStatus: 'متصل بنواة كيوب ديسك الإصدار {version} · مخطط الأرشيف {schema} · مجلد البيانات {dataDir}',
  coreErrorTitle: 'تعذّر على كيوب ديسك فتح أرشيفك',
  coreErrorNothingDeleted: 'لم يُحذف أو يتغيّر شيء. أصلح المشكلة أعلاه ثم شغّل كيوب ديسك من جديد.',
  errorCode: 'رمز الخطأ',
};
